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

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusRevealError);
} else {
    focusRevealError();
}
