/** @odoo-module **/

/**
 * After a wrong answer to the second factor, the tracking page comes back at the form
 * (its #tms_track_reveal anchor). Browsers ignore autofocus on a page opened at an
 * anchor: the answer field is focused here, the error under it in view.
 */
function focusRevealError() {
    const error = document.querySelector(".o_tms_track_reveal_error");
    const field = document.getElementById("tms_track_answer");
    if (!error || !field) {
        return;
    }
    field.focus({preventScroll: true});
    error.scrollIntoView({block: "center"});
}

/**
 * Focus the field again once everything has loaded, unless the visitor has moved on:
 * scripts of the page that start later may take the focus away.
 */
function keepRevealFocus() {
    const active = document.activeElement;
    if (!active || active === document.body) {
        focusRevealError();
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusRevealError);
} else {
    focusRevealError();
}
if (document.readyState === "complete") {
    keepRevealFocus();
} else {
    window.addEventListener("load", keepRevealFocus);
}
