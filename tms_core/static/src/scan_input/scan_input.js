import {Component, useRef, useState} from "@odoo/owl";

/**
 * The field of a scan screen: type a number and press Enter (or the check button),
 * or open the camera. It reads codes for the `useScanInput` hook of its screen, which
 * also hears the keyboard-wedge scanner. Its parts carry the screen's classes
 * (`<classPrefix>_input`, `_submit`, `_camera`).
 */
export class ScanInput extends Component {
    static template = "tms_core.ScanInput";
    static props = {
        // What useScanInput returned
        scanInput: Object,
        // E.g. "o_tms_scan": o_tms_scan_input, o_tms_scan_submit, o_tms_scan_camera
        classPrefix: String,
        placeholder: String,
        // Shown beside the check mark on large screens
        submitLabel: String,
        // While the screen is busy with the previous code
        disabled: {type: Boolean, optional: true},
    };
    static defaultProps = {disabled: false};

    setup() {
        this.typed = useState(this.props.scanInput.typed);
        this.props.scanInput.inputRef(useRef("input"));
    }

    onSubmit(ev) {
        ev.preventDefault();
        this.props.scanInput.submit();
    }
}
