// "一键复制": a button with data-copy="ID" copies that element's text.
// The button is hidden until this script runs; without it the text can
// still be selected and copied by hand.
(function () {
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    var label = button.textContent;
    function done(ok) {
      button.textContent = ok ? "已复制" : "请手动选中复制";
      setTimeout(function () { button.textContent = label; }, 2000);
    }
    button.addEventListener("click", function () {
      var text = source.value || source.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); },
                                                 function () { done(false); });
        return;
      }
      // Intranet pages over plain http: the older way.
      source.focus();
      source.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    });
  });
})();
