/* qdpv-lab's page script: names the ipywidgets sliders for screen readers and marks the live results text.

   ipywidgets 8 draws a slider as a <label> next to a noUiSlider handle (role="slider"); the label cannot point at
   the handle, so the handle had no accessible name, and noUiSlider reads out the raw float (e.g.
   "4999.999999999999") where the page shows "5000". Here every slider handle is named with its label's text and
   gets aria-valuetext = the readout as displayed, followed by the unit: the last parenthesis of the kit's
   description "label (unit)", none for sliders marked qdpv-unitless. The readout, an editable field, is named
   too. A control's label whose widget sets no tooltip (ipywidgets' dropdowns, checkboxes) gets its own text as
   tooltip. The kit's results text is replaced on every update, so its stable container (class qdpv-live) carries
   aria-live="polite". All of it is kept up to date by one MutationObserver, which only sets attributes whose
   value differs (so its own changes end there). */
(function () {
  "use strict";

  function unitOf(box, name) {
    if (box.classList.contains("qdpv-unitless")) return "";
    const match = /\(([^()]*)\)\s*$/.exec(name);
    return match ? match[1].trim() : "";
  }

  function set(el, attr, value) {
    if (el.getAttribute(attr) !== value) el.setAttribute(attr, value);
  }

  function nameSlider(box) {
    const handle = box.querySelector(".noUi-handle");
    if (!handle) return;
    const label = box.querySelector(".widget-label");
    const name = label ? label.textContent.trim() : "";
    const readout = box.querySelector(".widget-readout");
    if (name) set(handle, "aria-label", name);
    if (readout && name) {
      set(readout, "role", "textbox");
      set(readout, "aria-label", name + ": type a value");
    }
    const shown = readout && readout.textContent.trim() ? readout.textContent.trim()
      : handle.getAttribute("aria-valuenow");
    if (shown === null) return;
    const unit = unitOf(box, name);
    set(handle, "aria-valuetext", unit ? shown + " " + unit : shown);
  }

  function markLive(el) {
    set(el, "aria-live", "polite");
  }

  function titleLabel(label) {
    const title = label.getAttribute("title");
    const text = label.textContent.trim();
    if (text && (title === null || title === "" || title === "null")) label.setAttribute("title", text);
  }

  function touch(el) {
    if (el.matches(".widget-slider")) nameSlider(el);
    if (el.matches(".qdpv-live")) markLive(el);
    if (el.matches(".widget-label")) titleLabel(el);
  }

  function scan(root) {
    if (root.nodeType !== 1) return;
    touch(root);
    root.querySelectorAll(".widget-slider").forEach(nameSlider);
    root.querySelectorAll(".qdpv-live").forEach(markLive);
    root.querySelectorAll(".widget-label").forEach(titleLabel);
  }

  function sliderOf(node) {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return el ? el.closest(".widget-slider") : null;
  }

  const observer = new MutationObserver((records) => {
    const boxes = new Set();
    for (const record of records) {
      const box = sliderOf(record.target);
      if (box) boxes.add(box);
      if (record.attributeName === "class" || record.attributeName === "title") touch(record.target);
      for (const node of record.addedNodes) scan(node);
    }
    boxes.forEach(nameSlider);
  });
  observer.observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ["aria-valuetext", "class", "title"],
  });
  document.addEventListener("DOMContentLoaded", () => scan(document.documentElement));
})();
