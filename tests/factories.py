"""factory-boy factories with realistic Azerbaijani data. Letters are registered through the
service, as in production, so they have real numbers and events."""

from __future__ import annotations

import datetime as dt

import factory

from appeals import services
from appeals.models import Channel, Department, Executor, Kind, Letter


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name_az = factory.Sequence(lambda n: f"Gömrük nəzarəti şöbəsi {n}")
    name_ru = factory.Sequence(lambda n: f"Отдел таможенного контроля {n}")
    name_en = factory.Sequence(lambda n: f"Customs Control Section {n}")
    phone = "(012) 404-22-20"


class ExecutorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Executor

    full_name = factory.Iterator(["Məmmədova Aygün", "Həsənov Rəşad", "İsmayılov Tural", "Quliyeva Nigar"])
    position_az = "Baş mütəxəssis"
    position_ru = "Главный специалист"
    position_en = "Chief specialist"
    phone = "+994 12 404 22 21"
    department = factory.SubFactory(DepartmentFactory)
    is_active = True


class LetterFactory(factory.django.DjangoModelFactory):
    """``LetterFactory()`` registers a letter through ``services.register_letter``."""

    class Meta:
        model = Letter

    received_on = factory.LazyFunction(lambda: dt.date(2026, 3, 2))
    kind = Kind.REQUEST
    channel = Channel.ELECTRONIC
    subject = "Avtomobilin gömrük rəsmiləşdirilməsi barədə"
    applicant_name = "Əliyeva Leyla"
    applicant_email = "leyla.aliyeva@example.az"
    applicant_phone = "+994 50 123 45 67"
    applicant_language = "az"
    department = None
    executor = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Letter:
        return services.register_letter(**kwargs)
