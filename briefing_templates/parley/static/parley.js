/* Parley briefing: draw every chart from its JSON data block. Inlined once, after the content. */
(function () {
  "use strict";
  var config = {responsive: true, displaylogo: false};
  var plots = [];
  function draw(block) {
    var target = document.getElementById(block.getAttribute("data-target"));
    var figure = JSON.parse(block.textContent);
    plots.push(target);
    Plotly.newPlot(target, figure.data || [], figure.layout || {}, config).then(function (plot) {
      if (figure.frames) { Plotly.addFrames(plot, figure.frames); }
    });
  }
  function resize() {
    for (var i = 0; i < plots.length; i++) { Plotly.Plots.resize(plots[i]); }
  }
  // A figure wider than its column (a phone) scrolls sideways: say so, and let the keyboard reach it.
  function reach() {
    Array.prototype.forEach.call(document.querySelectorAll(".parley-chart"), function (figure) {
      var scrolls = figure.scrollWidth > figure.clientWidth + 1;
      figure.classList.toggle("parley-chart-scrolls", scrolls);
      if (scrolls) { figure.setAttribute("tabindex", "0"); } else { figure.removeAttribute("tabindex"); }
    });
  }
  var pending = null;
  Array.prototype.forEach.call(document.querySelectorAll("script.parley-figure"), draw);
  reach();
  window.addEventListener("resize", function () { clearTimeout(pending); pending = setTimeout(reach, 150); });
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
}());
