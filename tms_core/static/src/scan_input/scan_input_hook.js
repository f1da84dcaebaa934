import {reactive, useEnv} from "@odoo/owl";
import {isBarcodeScannerSupported} from "@web/core/barcode/barcode_video_scanner";
import {scanBarcode} from "@web/core/barcode/barcode_dialog";
import {browser} from "@web/core/browser/browser";
import {_t} from "@web/core/l10n/translation";
import {useBus, useChildRef, useService} from "@web/core/utils/hooks";

/**
 * The three ways a scan screen reads a code, behind one callback: a keyboard-wedge
 * scanner (keys typed fast anywhere on the page, then Enter: the `barcode` service),
 * the phone's camera (Odoo's barcode dialog) and the number typed in the field of a
 * `ScanInput`, which this hook feeds.
 *
 *     this.scanInput = useScanInput({onScan: (code) => this.onScan(code)});
 *     <ScanInput scanInput="scanInput" classPrefix="'o_tms_scan'" .../>
 *
 * @param {Object} params
 * @param {(code: String) => any} params.onScan called with each code read, trimmed
 *        and never empty; a promise it returns is awaited before the camera opens
 *        again
 * @param {Boolean} [params.keepCameraOpen=false] open the camera again after each
 *        code, until its dialog is closed (scanning a pile of parcels)
 * @returns {{
 *     inputRef: Function,
 *     typed: {value: String},
 *     cameraSupported: Boolean,
 *     scan: (code: String) => any,
 *     submit: () => any,
 *     openCamera: () => Promise<void>,
 *     focus: () => void,
 * }}
 */
export function useScanInput({onScan, keepCameraOpen = false}) {
    const env = useEnv();
    const notification = useService("notification");
    const barcode = useService("barcode");
    // The field of the ScanInput, forwarded by it
    const inputRef = useChildRef();

    const scanInput = {
        inputRef,
        // What is typed in the field; kept by the screen while the field is hidden
        typed: reactive({value: ""}),
        cameraSupported: isBarcodeScannerSupported(),

        /**
         * Hand a code read (typed, wedge or camera) to the screen.
         *
         * @param {String} code
         * @returns {any} what `onScan` returns
         */
        scan(code) {
            const trimmed = (code || "").trim();
            if (!trimmed) {
                return undefined;
            }
            return onScan(trimmed);
        },

        /**
         * Send the number typed in the field (Enter), and empty the field.
         *
         * @returns {any} what `onScan` returns
         */
        submit() {
            const code = scanInput.typed.value;
            scanInput.typed.value = "";
            return scanInput.scan(code);
        },

        async openCamera() {
            let code = "";
            try {
                code = await scanBarcode(env);
            } catch (error) {
                notification.add(
                    error.message || _t("The camera could not be opened."),
                    {type: "warning"}
                );
                return;
            }
            if (code) {
                await scanInput.scan(code);
                if (keepCameraOpen) {
                    // Keep scanning with the camera until its dialog is closed
                    scanInput.openCamera();
                }
            }
        },

        /**
         * Put the cursor in the field, ready for the next number. Not on phones:
         * focusing the field would open the keyboard over the screen.
         */
        focus() {
            if (!env.isSmall) {
                browser.setTimeout(() => inputRef.el?.focus(), 0);
            }
        },
    };

    useBus(barcode.bus, "barcode_scanned", (ev) => scanInput.scan(ev.detail.barcode));
    return scanInput;
}
