// The status form shows only the fields that apply to the status chosen (how an answer was
// sent, the competent body, the ground, the staff's note). Without script every field that
// can apply is shown, each with its help text saying when it is required.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("id_status");
  if (!status) {
    return;
  }
  var fields = document.querySelectorAll("[data-statuses]");
  function update() {
    fields.forEach(function (field) {
      var row = field.closest(".form-row");
      var applies = field.getAttribute("data-statuses").split(" ").indexOf(status.value) !== -1;
      row.hidden = !applies;
    });
  }
  status.addEventListener("change", update);
  update();
});
