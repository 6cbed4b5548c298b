/* A chart's "Download plot as a PNG" exports the chart with its caption (the sources drawn and
 * the view's filters). The figure carries the changes of its exported image in
 * layout.meta.export (dashboard/figures.py, with_export_caption); this applies them to a copy
 * of the figure, so the chart on the screen stays as it is. A chart without them exports as
 * plotly does. */
(function () {
  "use strict";
  var TITLE = "Download plot as a PNG";

  function exportWithCaption(plot) {
    var layout = plot.layout || {};
    var exported = (layout.meta || {}).export;
    if (!exported || !window.Plotly) return false;
    var full = plot._fullLayout || {};
    var copy = Object.assign({}, layout, exported.layout);
    copy.width = exported.width;
    copy.height = (full.height || layout.height || 450) + exported.height_extra;
    var options = (plot._context || {}).toImageButtonOptions || {};
    window.Plotly.downloadImage(
      { data: plot.data, layout: copy, config: { displaylogo: false } },
      {
        format: "png",
        width: copy.width,
        height: copy.height,
        scale: options.scale || 1,
        filename: exported.filename || "chart",
      }
    );
    return true;
  }

  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest(".modebar-btn");
      if (!button || button.getAttribute("data-title") !== TITLE) return;
      var plot = button.closest(".js-plotly-plot");
      if (plot && exportWithCaption(plot)) {
        event.stopPropagation();
        event.preventDefault();
      }
    },
    true
  );
  window.counterclaimExport = exportWithCaption;
})();
