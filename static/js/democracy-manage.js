/* The democracy back office (static/js/democracy-manage.js). Without JavaScript every page works the
   same: the server refuses a way of deciding the law does not allow, and the browser's menu prints.
   - The proposal form offers only the ways of deciding the law allows for the kind of matter chosen
     (art. 17(2)): the category's select carries them in data-forms-allowed.
   - The printed ballots' "Print" button. */
(function () {
  "use strict";

  function limitForms(category, formSelect, allowed) {
    var forms = allowed[category.value] || [];
    Array.prototype.forEach.call(formSelect.options, function (option) {
      var ok = forms.indexOf(option.value) !== -1;
      option.disabled = !ok;
      option.hidden = !ok;
    });
    if (formSelect.selectedOptions.length && formSelect.selectedOptions[0].disabled && forms.length) {
      formSelect.value = forms[0];
    }
  }

  var category = document.querySelector("select[data-forms-allowed]");
  if (category && category.form) {
    var formSelect = category.form.querySelector("select[name='form']");
    var allowed;
    try {
      allowed = JSON.parse(category.getAttribute("data-forms-allowed"));
    } catch (error) {
      allowed = null;
    }
    if (formSelect && allowed) {
      category.addEventListener("change", function () { limitForms(category, formSelect, allowed); });
      limitForms(category, formSelect, allowed);
    }
  }

  var printButton = document.getElementById("print-ballots");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
