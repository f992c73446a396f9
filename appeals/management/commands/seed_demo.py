"""Create a realistic demo data set: departments, executors, a few hundred letters. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from appeals import services
from appeals.models import (
    AnswerChannel,
    Channel,
    Department,
    Executor,
    Kind,
    Letter,
    NonConsiderationGround,
    StatusEvent,
)
from appeals.roles import Role
from appeals.statuses import Status

DEPARTMENTS = [
    # code, az, ru, en, phone
    (
        "APP",
        "Vətəndaş müraciətləri ilə iş şöbəsi",
        "Отдел по работе с обращениями граждан",
        "Citizens' Appeals Department",
        "(012) 404-22-10",
    ),
    (
        "CUST",
        "Gömrük nəzarəti baş idarəsi",
        "Главное управление таможенного контроля",
        "Main Department of Customs Control",
        "(012) 404-22-20",
    ),
    (
        "TARIFF",
        "Gömrük tarifləri və ödənişləri baş idarəsi",
        "Главное управление таможенных тарифов и платежей",
        "Main Department of Customs Tariffs and Payments",
        "(012) 404-22-30",
    ),
    ("LEGAL", "Hüquq idarəsi", "Правовое управление", "Legal Department", "(012) 404-22-40"),
    (
        "SMUG",
        "Qaçaqmalçılıqla mübarizə baş idarəsi",
        "Главное управление по борьбе с контрабандой",
        "Main Department for Combating Smuggling",
        "(012) 404-22-50",
    ),
    (
        "EXPRESS",
        "Ekspress kargo gömrük idarəsi",
        "Таможенное управление экспресс-грузов",
        "Express Cargo Customs Office",
        "(012) 404-22-60",
    ),
    (
        "BAKU",
        "Bakı Baş Gömrük İdarəsi",
        "Бакинское главное таможенное управление",
        "Baku Main Customs Office",
        "(012) 404-22-70",
    ),
    (
        "EVAL",
        "Fəaliyyətin Qiymətləndirilməsi və İnkişaf Proqramları Baş İdarəsi",
        "Главное управление оценки деятельности и программ развития",
        "Main Department for Performance Evaluation and Development Programmes",
        "(012) 404-22-80",
    ),
]

POSITIONS = [
    ("Baş mütəxəssis", "Главный специалист", "Chief specialist"),
    ("Aparıcı mütəxəssis", "Ведущий специалист", "Leading specialist"),
    ("Şöbə rəisi", "Начальник отдела", "Head of section"),
    ("Baş inspektor", "Главный инспектор", "Chief inspector"),
]

FIRST_NAMES = [
    "Elvin",
    "Aygün",
    "Rəşad",
    "Leyla",
    "Orxan",
    "Nigar",
    "Tural",
    "Günel",
    "Kamran",
    "Səbinə",
    "Ramil",
    "Fidan",
    "Elnur",
    "Könül",
    "Vüqar",
    "Aynur",
    "İlqar",
    "Şəbnəm",
    "Murad",
    "Ülviyyə",
]
SURNAMES_M = [
    "Əliyev",
    "Həsənov",
    "Məmmədov",
    "Quliyev",
    "İsmayılov",
    "Hüseynov",
    "Abbasov",
    "Cəfərov",
    "Rzayev",
    "Nəsirov",
]
FEMALE = {"Aygün", "Leyla", "Nigar", "Günel", "Səbinə", "Fidan", "Könül", "Aynur", "Şəbnəm", "Ülviyyə"}

SUBJECTS = [
    "Avtomobilin gömrük rəsmiləşdirilməsi barədə",
    "Poçt göndərişinə görə gömrük rüsumu",
    "Ekspress kargo bağlamasının saxlanılması",
    "Gömrük dəyərinin müəyyən edilməsinə etiraz",
    "Şəxsi əşyaların gətirilməsi qaydaları",
    "Gömrük postunda növbə ilə bağlı şikayət",
    "Tarif kodunun təsnifatı barədə sorğu",
    "Artıq ödənilmiş rüsumun qaytarılması",
]

LETTER_COUNT = 300
DEMO_PASSWORD = "demo-dgk-2026"  # printed by `make run`; demo users are only ever created with DEBUG on


def _surname(first: str, base: str) -> str:
    return base + "a" if first in FEMALE else base


def _person(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES)
    return f"{_surname(first, rng.choice(SURNAMES_M))} {first}"


def _baku_phone(rng: random.Random) -> str:
    return f"+994 12 404 {rng.randint(20, 99):02d} {rng.randint(10, 99):02d}"


def _mobile(rng: random.Random) -> str:
    operator = rng.choice(["50", "51", "55", "70", "77"])
    return f"+994 {operator} {rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


# How far along the workflow each demo letter goes: the path, and its weight.
PATHS = [
    ([], 1),
    ([Status.ASSIGNED], 2),
    ([Status.ASSIGNED, Status.IN_PROGRESS], 4),
    ([Status.ASSIGNED, Status.IN_PROGRESS, Status.AWAITING_APPLICANT], 1),
    ([Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED], 6),
    ([Status.FORWARDED], 1),
    ([Status.ASSIGNED, Status.IN_PROGRESS, Status.LEFT_WITHOUT_CONSIDERATION], 1),
]


class Command(BaseCommand):
    help = "Load demo departments, executors and letters (idempotent) and print numbers to try."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--letters", type=int, default=LETTER_COUNT, help="how many letters to create")

    def handle(self, *args, letters: int, **options) -> None:
        rng = random.Random(2026)
        with transaction.atomic():
            departments = self._departments()
            executors = self._executors(rng, departments)
            existing = Letter.objects.count()
            if existing == 0:
                self._letters(rng, departments, executors, letters)
                self.stdout.write(f"Created {letters} demo letters.")
            else:
                self.stdout.write(f"Demo data already present ({existing} letters); nothing created.")
        self._print_numbers()
        if settings.DEBUG:
            self._demo_users(executors)

    def _departments(self) -> list[Department]:
        result = []
        for code, az, ru, en, phone in DEPARTMENTS:
            department, _ = Department.objects.get_or_create(
                code=code, defaults={"name_az": az, "name_ru": ru, "name_en": en, "phone": phone}
            )
            result.append(department)
        return result

    def _executors(self, rng: random.Random, departments: list[Department]) -> list[Executor]:
        result = []
        for department in departments:
            for _ in range(3):
                az, ru, en = rng.choice(POSITIONS)
                executor, _ = Executor.objects.get_or_create(
                    full_name=_person(rng),
                    department=department,
                    defaults={
                        "position_az": az,
                        "position_ru": ru,
                        "position_en": en,
                        "phone": _baku_phone(rng),
                    },
                )
                result.append(executor)
        return result

    def _letters(self, rng, departments, executors, count: int) -> None:
        today = timezone.localdate()
        paths, weights = zip(*PATHS, strict=True)
        for index in range(count):
            received_on = today - dt.timedelta(days=rng.randint(0, 120))
            channel = rng.choice(list(Channel))
            executor = rng.choice(executors)
            path = rng.choices(paths, weights)[0]
            letter = services.register_letter(
                received_on=received_on,
                kind=rng.choice(list(Kind)),
                channel=channel,
                subject=rng.choice(SUBJECTS),
                applicant_name=_person(rng),
                applicant_email=f"applicant{index}@example.az" if channel == Channel.ELECTRONIC else "",
                applicant_phone=_mobile(rng),
                applicant_language=rng.choice(["az", "az", "az", "ru", "en"]),
                department=executor.department if path else None,
                needs_additional_study=rng.random() < 0.15,
                notify=False,
            )
            for status in path:
                if status == Status.ASSIGNED:
                    services.assign_letter(
                        letter=letter, department=executor.department, executor=executor, notify=False
                    )
                else:
                    services.change_status(letter=letter, to_status=status, notify=False, **self._details(status))
            self._spread_in_time(rng, letter, received_on)

    def _spread_in_time(self, rng: random.Random, letter: Letter, received_on: dt.date) -> None:
        """Demo only: date the events between registration and now, as if they had happened then."""
        start = timezone.make_aware(dt.datetime.combine(received_on, dt.time(9, 0)))
        span = max((timezone.now() - start).total_seconds(), 60)
        events = list(letter.events.order_by("pk"))
        offsets = sorted(rng.uniform(0, span * 0.8) for _ in events[1:])
        moments = [start, *(start + dt.timedelta(seconds=offset) for offset in offsets)]
        for event, moment in zip(events, moments, strict=True):
            event.occurred_at = moment
        StatusEvent.objects.bulk_update(events, ["occurred_at"])
        letter.refresh_from_db()
        fields = services.enter_status(letter, letter.status, on=timezone.localdate(moments[-1]))
        Letter.objects.filter(pk=letter.pk).update(
            updated_at=moments[-1], **{field: getattr(letter, field) for field in fields}
        )
        services.refresh_public_letters(Letter.objects.filter(pk=letter.pk))

    def _details(self, status: str) -> dict:
        return {
            Status.ANSWERED: {"answer_channel": AnswerChannel.EMAIL, "outgoing_number": "GK-04/1187"},
            Status.FORWARDED: {"forwarded_to": "Azərbaycan Respublikasının Dövlət Vergi Xidməti"},
            Status.LEFT_WITHOUT_CONSIDERATION: {
                "ground": NonConsiderationGround.REPEATED,
                "reason": "Təkrar müraciətdə yeni məlumat yoxdur.",
            },
        }.get(status, {})

    def _print_numbers(self) -> None:
        self.stdout.write("Registration numbers to try:")
        for status in Status:
            letter = Letter.objects.filter(status=status).order_by("registration_sequence").first()
            if letter:
                self.stdout.write(f"  {letter.registration_number}  ({status.label})")

    def _demo_users(self, executors: list[Executor]) -> None:
        """One demo user per role (DEBUG only), printed so a newcomer can sign in as each."""
        User = get_user_model()
        groups = {group.name: group for group in Group.objects.all()}
        head_department = executors[0].department
        accounts = [
            ("admin", None, None),
            ("clerk", Role.REGISTRY_CLERK, None),
            ("executor", Role.EXECUTOR, executors[0]),
            ("head", Role.DEPARTMENT_HEAD, None),
            ("supervisor", Role.SUPERVISOR, None),
            ("operator", Role.CALL_CENTRE_OPERATOR, None),
        ]
        self.stdout.write(f"Demo staff logins (admin site /{settings.ADMIN_URL}), password {DEMO_PASSWORD}:")
        for username, role, executor in accounts:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username, f"{username}@example.az", DEMO_PASSWORD)
            user.is_staff = role != Role.CALL_CENTRE_OPERATOR
            user.is_superuser = role is None
            user.save()
            if role is not None:
                user.groups.set([groups[role.value]])
            if executor is not None and executor.user_id is None:
                executor.user = user
                executor.save(update_fields=["user"])
            if role == Role.DEPARTMENT_HEAD and not hasattr(user, "executor"):
                Executor.objects.get_or_create(
                    full_name="Nəsirov Elnur",
                    department=head_department,
                    defaults={
                        "position_az": "Şöbə rəisi",
                        "position_ru": "Начальник отдела",
                        "position_en": "Head of section",
                        "phone": "+994 12 404 22 11",
                        "user": user,
                    },
                )
            label = role.value if role else "Administrator (superuser)"
            self.stdout.write(f"  {username:<10} {label}")
