"""Every app in a real browser: Voila on 127.0.0.1, Debian's Chromium, no network beyond this machine.

Each app must render without a console error, a failed request or a request leaving the machine (BokehJS and
everything else inline or served by Voila), answer the keyboard, show a readable message (never a traceback)
when inputs leave a model's range, and download the plotted data as CSV. The apps that take a learner's file
analyse it as the library does, refuse a bad one with the reader's message, read their own download back and
clear it again, all from the keyboard.
"""

from __future__ import annotations

import csv
import html
import io
import re

import pytest

from qdpv import carriers, diode, msn
from qdpv import confinement as conf
from qdpv.datasets import example_file
from qdpv.io import read_decay_csv, read_isotherm, read_jv_csv, read_spectrum_csv
from qdpv.materials import CsPbBr3
from qdpv.ui.gallery import STEPS
from qdpv.ui.kit import plus_minus
from qdpv_testing import NOTEBOOKS, app_notebooks
from qdpv_testing.browser import READY_JS, PageWatch, key_latency_ms, open_app, sent_since
from qdpv_testing.uploads import BAD_FILES

APPS = app_notebooks()

pytestmark = pytest.mark.browser


def _render(page, voila_url: str, notebook: str) -> None:
    open_app(page, f"{voila_url}/voila/render/{notebook}")


def _assert_clean(page) -> None:
    text = page.inner_text("body")
    assert "Traceback" not in text
    assert "Error" not in page.title()
    assert page.qdpv_watch.problems() == []


@pytest.mark.parametrize("notebook", APPS)
def test_app_renders_offline_and_answers_the_keyboard(page, voila_url, notebook):
    _render(page, voila_url, notebook)
    before = page.inner_text(".qdpv-results")
    mark = page.evaluate("() => window.__qdpvSent.length")
    times = key_latency_ms(page, 0, "ArrowRight")
    after = page.inner_text(".qdpv-results")
    assert after != before, "moving the first slider with the keyboard must change the results text"
    assert times["drew"], "moving the first slider must repaint a figure"
    assert times["painted_ms"] >= times["text_ms"] > 0
    # the figures' new data came from the kernel: the page must not send it back (qdpv.ui.kit._bokeh_internals)
    sent = sent_since(page, mark)
    assert sent, "the key press must reach the kernel"
    echoed = [m for m in sent if '"kind":"ModelChanged"' in m and '"attr":"data"' in m]
    assert echoed == [], f"the page sent {len(echoed)} figure data change(s) back to the kernel"
    _assert_clean(page)


@pytest.mark.parametrize("notebook", APPS)
def test_csv_download_holds_the_plotted_tables(page, voila_url, notebook):
    _render(page, voila_url, notebook)
    with page.expect_download() as info:
        page.get_by_text("Download the plotted data (CSV)").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8").read()
    assert text.startswith("# qdpv-lab")
    tables = [block for block in text.split("\n\n") if block.startswith("# table:")]
    assert tables, "the CSV must hold at least one table"
    for block in tables:
        lines = block.splitlines()
        rows = list(csv.reader(io.StringIO("\n".join(lines[1:]))))
        header, body = rows[0], rows[1:]
        assert body, f"table {lines[0]!r} is empty"
        assert all(len(r) == len(header) for r in body)
    _assert_clean(page)


# For each app: how a keyboard user reaches inputs outside a model's range, the words the message must hold, and
# how the same user gets back to a valid state.
def _press(handle: int, key: str):
    def action(page) -> None:
        target = page.locator(".noUi-handle").nth(handle)
        target.wait_for(state="visible", timeout=10_000)  # e.g. expert sliders appear after the kernel answers
        target.focus()
        page.keyboard.press(key)

    return action


def _qd_out_of_range(page) -> None:
    page.get_by_label("Gap model for spectra").select_option(label="Brus (textbook)")
    _press(0, "End")(page)


def _device_out_of_range(page) -> None:
    page.get_by_label("Expert: raw diode parameters for the treated cell").check()
    _press(7, "End")(page)  # expert Jph (8th slider) at its maximum, what AM1.5G gives a 1.60 eV absorber: more
    # than it gives the 1.73 eV absorber of the preset


def _shell_too_thin(page) -> None:
    _press(3, "Home")(page)  # reaction temperature (4th slider) to its minimum, 40 °C
    _press(2, "Home")(page)  # reaction time (3rd slider) to its minimum, 2 h: a 4.9 nm shell, pores 8 nm


def _short_crystals_of_weak_oil(page) -> None:
    page.get_by_label("Swelling oil").select_option(label="1-octadecene")
    _press(1, "Home")(page)  # crystal length / pore (2nd slider) at 0.5: 2.75 nm dots in 4 nm pores


OUT_OF_RANGE = {
    # either of reaction time and temperature alone at its minimum still grows a shell thicker than the pores
    "01_msn_templating.ipynb": (_shell_too_thin, "thinner than one", _press(2, "End")),
    "02_qd_sizing.ipynb": (_qd_out_of_range, "confinement model holds", _press(0, "Home")),
    "04_device_jv.ipynb": (_device_out_of_range, "more than AM1.5G can give", _press(7, "Home")),
    "06_design_your_cell.ipynb": (_short_crystals_of_weak_oil, "confinement model holds", _press(1, "End")),
    # TRPL slow lifetime (4th slider) at its maximum exceeds a third of the 200 ns TCSPC window
    "05_carriers_and_stability.ipynb": (_press(3, "End"), "TCSPC window", _press(3, "Home")),
}
# Apps none of whose inputs can leave a model's range, and where a test shows it.
ALWAYS_IN_RANGE = {
    "03_band_alignment.ipynb": "tests/test_app_band_alignment.py: the pore slider offers only dots the model describes",
}


@pytest.mark.parametrize("notebook", sorted(OUT_OF_RANGE))
def test_out_of_range_input_shows_a_message_and_the_app_recovers(page, voila_url, notebook):
    action, words, recover = OUT_OF_RANGE[notebook]
    _render(page, voila_url, notebook)
    action(page)
    alert = page.locator(".qdpv-error")
    alert.wait_for(timeout=10_000)
    assert words in alert.inner_text()
    assert "Traceback" not in alert.inner_text()
    recover(page)
    alert.wait_for(state="detached", timeout=10_000)
    _assert_clean(page)


def test_every_app_has_an_out_of_range_check():
    assert set(APPS) <= set(OUT_OF_RANGE) | set(ALWAYS_IN_RANGE), "add the app's out-of-range action to OUT_OF_RANGE"
    assert not set(OUT_OF_RANGE) & set(ALWAYS_IN_RANGE)


def test_every_app_is_in_the_gallery_and_its_link_opens_it(page, voila_url):
    page.goto(f"{voila_url}/voila/render/00_start_here.ipynb")
    page.get_by_text("The learning path").wait_for(timeout=60_000)
    # the heading is a markdown cell; the links are the kernel's output, which may arrive a moment later
    page.locator(f"a[href$='{APPS[-1]}']").first.wait_for(state="attached", timeout=60_000)
    links = page.locator("a[href$='.ipynb']")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert set(APPS) <= hrefs
    link = page.get_by_role("link", name="2. Quantum-dot sizing")
    if link.get_attribute("target") == "_blank":  # JupyterLab's renderer opens output links in a new tab
        with page.context.expect_page() as opened:
            link.click()
        app = opened.value
        app.qdpv_watch = PageWatch(app)
    else:
        link.click()
        app = page
    app.wait_for_function(READY_JS, timeout=60_000, polling=100)
    assert app.url.endswith("/voila/render/02_qd_sizing.ipynb")
    _assert_clean(page)
    _assert_clean(app)


def test_learner_walks_the_whole_path_from_the_gallery(page, voila_url):
    """The learner's journey: from the gallery, follow each step's link in order, move one control, see the app
    answer, with no traceback or error anywhere."""
    page.goto(f"{voila_url}/voila/render/00_start_here.ipynb")
    page.get_by_text("The learning path").wait_for(timeout=60_000)
    for step in [s for s in STEPS if (NOTEBOOKS / s.notebook).exists()]:
        link = page.get_by_role("link", name=f"{step.number}. {step.title}")
        if link.get_attribute("target") == "_blank":
            with page.context.expect_page() as opened:
                link.click()
            app = opened.value
        else:
            link.click()
            app = page
        app.qdpv_watch = PageWatch(app)
        app.wait_for_function(READY_JS, timeout=90_000, polling=100)
        assert app.url.endswith(f"/voila/render/{step.notebook}")
        before = app.inner_text(".qdpv-results")
        times = key_latency_ms(app, 0, "ArrowRight")
        assert app.inner_text(".qdpv-results") != before, step.notebook
        assert times["drew"], f"{step.notebook}: no figure was repainted"
        _assert_clean(app)
        if app is page:
            page.go_back()
            page.get_by_text("The learning path").wait_for(timeout=60_000)
        else:
            app.close()
    _assert_clean(page)


# -- the quiz, from the keyboard alone ---------------------------------------------------------------------------

QUIZ_MODULES = {
    "01_msn_templating.ipynb": "msn_templating",
    "02_qd_sizing.ipynb": "qd_sizing",
    "03_band_alignment.ipynb": "band_alignment",
    "04_device_jv.ipynb": "device_jv",
    "05_carriers_and_stability.ipynb": "carriers_stability",
    "06_design_your_cell.ipynb": "design_your_cell",
}

# Where each option's circle sits against the first line of its text, the ARIA state of the group, the focus.
QUIZ_STATE_JS = """
() => {
  const group = document.querySelector('.qdpv-quiz-group');
  const options = [...group.querySelectorAll('.qdpv-option')];
  const offsets = options.map((b) => {
    const range = document.createRange();
    range.selectNodeContents(b);
    const line = range.getClientRects()[0];
    const style = getComputedStyle(b), before = getComputedStyle(b, '::before');
    const top = b.getBoundingClientRect().top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop)
      + parseFloat(before.marginTop);
    return Math.abs((top + parseFloat(before.height) / 2) - (line.top + line.height / 2));
  });
  const label = document.getElementById(group.getAttribute('aria-labelledby'));
  return {
    role: group.getAttribute('role'),
    label: label ? label.textContent : null,
    roles: options.map((b) => b.getAttribute('role')),
    checked: options.map((b) => b.getAttribute('aria-checked')),
    tabStops: options.filter((b) => b.tabIndex === 0).length,
    focused: options.indexOf(document.activeElement),
    feedback: document.querySelector('.qdpv-quiz-feedback').innerText,
    live: document.querySelector('.qdpv-quiz-feedback').getAttribute('aria-live'),
    circleOffsets: offsets,
  };
}
"""


def _quiz_state(page) -> dict:
    return page.evaluate(QUIZ_STATE_JS)


def _words(text: str) -> str:
    return " ".join(text.split())


def _arrow_to(page, target: int) -> None:
    """Move the focus inside the quiz with the arrow keys until option ``target`` has it; nothing gets chosen."""
    chosen = _quiz_state(page)["checked"]
    for _ in range(8):
        state = _quiz_state(page)
        if state["focused"] == target:
            return
        page.keyboard.press("ArrowDown" if state["focused"] < target else "ArrowUp")
        page.wait_for_timeout(50)  # a choice would come back from the kernel
        assert _quiz_state(page)["checked"] == chosen, "an arrow key must move the focus, not choose"
    raise AssertionError(f"the arrow keys did not reach option {target}")


@pytest.mark.parametrize("notebook", APPS)
def test_quiz_answered_wrongly_then_rightly_with_the_keyboard(page, voila_url, notebook):
    """A keyboard user tabs from the preset menu into the quiz, moves with the arrows, chooses with Space/Enter."""
    import importlib

    quiz = importlib.import_module(f"qdpv.ui.{QUIZ_MODULES[notebook]}").QUIZ
    _render(page, voila_url, notebook)
    page.wait_for_function("() => document.querySelector('.qdpv-quiz-group[role=radiogroup]')", timeout=10_000)
    state = _quiz_state(page)
    assert state["role"] == "radiogroup" and _words(state["label"]) == _words(quiz.question)
    assert state["roles"] == ["radio"] * len(quiz.options) and state["checked"] == ["false"] * len(quiz.options)
    assert state["tabStops"] == 1 and state["live"] == "polite" and state["feedback"].strip() == ""
    assert max(state["circleOffsets"]) < 4, f"option circles off their first line by {state['circleOffsets']} px"

    page.get_by_label("Preset").focus()
    for _ in range(60):  # Tab through the controls to the quiz
        page.keyboard.press("Tab")
        if _quiz_state(page)["focused"] >= 0:
            break
    assert _quiz_state(page)["focused"] == 0, "Tab from the controls must reach the quiz's first option"

    wrong = next(i for i in range(len(quiz.options)) if i != quiz.answer)
    _arrow_to(page, wrong)
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('.qdpv-quiz-feedback').innerText.includes('Not quite')")
    state = _quiz_state(page)
    assert state["checked"][wrong] == "true" and state["checked"].count("true") == 1
    assert "Not quite." in state["feedback"] and _words(quiz.why_wrong[wrong]) in _words(state["feedback"])
    assert "Try again" in state["feedback"]
    assert _words(quiz.explanation)[:60] not in _words(state["feedback"]), "a wrong pick must not give the answer"

    _arrow_to(page, quiz.answer)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.qdpv-quiz-feedback').innerText.includes('Correct')")
    state = _quiz_state(page)
    assert state["checked"][quiz.answer] == "true" and state["checked"].count("true") == 1
    assert _words(quiz.explanation)[:60] in _words(state["feedback"])
    _assert_clean(page)


# -- the learner's own measurement: upload from the keyboard, a bad file, the CSV round trip, clear -----------------

def _intercept_file_dialogs(page) -> None:
    """Have playwright catch the page's file dialogs from now on. Without a listener it starts catching them only
    when ``expect_file_chooser`` asks, and a dialog opened by a key press can come first and be lost."""
    page.on("filechooser", lambda chooser: None)


def _choose_file(page, what: str, path) -> None:
    """Open the file dialog of the upload button of ``what`` from the keyboard and choose ``path`` in it."""
    button = page.get_by_role("button", name=re.compile(rf"^Upload your {re.escape(what)}"))
    button.focus()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(path))


def _plain(markup: str) -> str:
    """The text a page shows for a piece of the results' HTML (entities resolved, tags dropped)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _isotherm_numbers(path) -> list[str]:
    iso = read_isotherm(path)
    a = msn.analyse_isotherm(iso.p_rel, iso.n_ads_mmol_g, iso.p_rel_des, iso.n_des_mmol_g, 0.95)
    return [f"BET area {_plain(plus_minus(a.bet.area_m2_g, a.bet.area_se_m2_g, 'm²/g'))}",
            f"KJS-corrected {a.bjh_kjs.peak_diameter_nm:.2f} nm"]


def _spectrum_numbers(path) -> list[str]:
    s = read_spectrum_csv(path)
    p = conf.spectrum_peak(s.energy_eV, s.signal_energy, CsPbBr3, "cube", conf.DEFAULT_MODEL, stokes_shift_meV=30.0)
    return [f"peak {_plain(plus_minus(p.peak_eV, p.peak_se_eV, 'eV'))}",
            f"dots of {_plain(plus_minus(p.size_nm, p.size_se_nm, 'nm'))}"]


def _jv_numbers(path) -> list[str]:
    jv = read_jv_csv(path)
    f = diode.fit_jv(jv.forward.voltage_V, jv.forward.j_mA_cm2)
    return [_plain(plus_minus(f.jsc_mA_cm2, f.jsc_se_mA_cm2)), _plain(plus_minus(f.pce_percent, f.pce_se_percent)),
            "Hysteresis index"]


def _decay_numbers(path) -> list[str]:
    t, counts = read_decay_csv(path).from_peak()
    fit = carriers.fit_decay(t, counts, n_components=2)
    return ["τ = " + ", ".join(_plain(plus_minus(tau, se, "ns"))
                               for tau, se in zip(fit.lifetimes_ns, fit.lifetimes_se_ns, strict=True))]


# notebook -> (what the upload button names, the example file, the library's numbers of it, a bad file)
UPLOADS = {
    "01_msn_templating.ipynb": ("isotherm", "isotherm", _isotherm_numbers, "negative-pressure"),
    "02_qd_sizing.ipynb": ("spectrum", "spectrum", _spectrum_numbers, "non-monotonic"),
    "04_device_jv.ipynb": ("J-V sweeps", "jv", _jv_numbers, "text"),
    "05_carriers_and_stability.ipynb": ("TRPL decay", "decay", _decay_numbers, "nan"),
}


@pytest.mark.parametrize("notebook", sorted(UPLOADS))
def test_an_upload_is_analysed_refused_when_bad_read_back_from_the_download_and_cleared(page, voila_url, notebook,
                                                                                         tmp_path):
    what, kind, numbers, bad_id = UPLOADS[notebook]
    example = example_file(kind)
    expected = numbers(example)
    results = page.locator(".qdpv-results")
    _intercept_file_dialogs(page)
    _render(page, voila_url, notebook)

    def shows(words: list[str]) -> None:
        for w in words:
            page.wait_for_function("(w) => document.querySelector('.qdpv-results').innerText.includes(w)", arg=w,
                                   timeout=20_000)

    _choose_file(page, what, example)  # a good file: the library's numbers of it in the results text
    shows([example.name, *expected])
    assert page.locator(".qdpv-error").count() == 0

    with page.expect_download() as info:  # the app's CSV holds the file as read: uploaded back, the same numbers
        page.get_by_text("Download the plotted data (CSV)").click()
    download = tmp_path / info.value.suggested_filename
    info.value.save_as(download)
    _choose_file(page, what, download)
    shows([download.name, *expected])

    bad = next(b for b in BAD_FILES[kind] if b.id == bad_id)  # a bad file: the reader's message, with its line
    (tmp_path / "bad.csv").write_bytes(bad.content)
    before = results.inner_text()
    _choose_file(page, what, tmp_path / "bad.csv")
    alert = page.locator(".qdpv-error")
    alert.wait_for(timeout=20_000)
    assert "could not be used" in alert.inner_text() and bad.words in alert.inner_text()
    assert results.inner_text() == before
    _press(0, "ArrowRight")(page)  # the app goes on with the last good file
    alert.wait_for(state="detached", timeout=20_000)
    shows(["Your last file could not be used", *expected])

    page.get_by_role("button", name=f"Clear your {what}").click()
    page.wait_for_function("(w) => !document.querySelector('.qdpv-results').innerText.includes(w)", arg=expected[0],
                           timeout=20_000)
    _assert_clean(page)


def test_the_example_button_works_from_the_keyboard(page, voila_url):
    _render(page, voila_url, "02_qd_sizing.ipynb")
    page.get_by_role("button", name="Use the example spectrum").focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('.qdpv-results').innerText.includes('Your spectrum')",
                           timeout=20_000)
    _assert_clean(page)
