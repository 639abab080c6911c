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
  Array.prototype.forEach.call(document.querySelectorAll("script.parley-figure"), draw);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
}());
