import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {getDataURLFromFile} from "@web/core/utils/urls";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {ScanInput} from "@tms_core/scan_input/scan_input";
import {useScanInput} from "@tms_core/scan_input/scan_input_hook";

// Phone pictures are resized before they are sent: enough to see a scratch.
const MAX_PHOTO_SIDE = 1600;
const PHOTO_QUALITY = 0.85;
const OK_STATUSES = ["ok", "already"];

/**
 * Resize a picture to at most MAX_PHOTO_SIDE pixels (JPEG); the original data URL
 * when the browser cannot draw it.
 *
 * @param {String} dataUrl
 * @returns {Promise<String>}
 */
function shrinkPicture(dataUrl) {
    return new Promise((resolve) => {
        const image = new Image();
        image.onload = () => {
            const scale = Math.min(
                1,
                MAX_PHOTO_SIDE / Math.max(image.width, image.height, 1)
            );
            if (scale === 1) {
                resolve(dataUrl);
                return;
            }
            const canvas = document.createElement("canvas");
            canvas.width = Math.round(image.width * scale);
            canvas.height = Math.round(image.height * scale);
            canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
            resolve(canvas.toDataURL("image/jpeg", PHOTO_QUALITY));
        };
        image.onerror = () => resolve(dataUrl);
        image.src = dataUrl;
    });
}

/**
 * The returns desk: scan a return parcel (keyboard-wedge scanner, camera or typing),
 * which receives it, then fill the inspection checklist of its return (packaging,
 * condition, accessories, photos from the phone's camera, note) and save it. One
 * call to `tms.return.reception.scan` per scan, one to `save_inspection` per save.
 */
export class TmsReturnReception extends Component {
    static template = "tms_ec.ReturnReception";
    static props = {...standardActionServiceProps};
    static components = {ScanInput};

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.scanInput = useScanInput({onScan: (code) => this.onScan(code)});
        this.state = useState({
            ready: false,
            busy: false,
            last: null,
            rma: null,
            checklist: this._emptyChecklist(),
            photos: [],
            saved: false,
        });
        onWillStart(async () => {
            this.data = await this.orm.call("tms.return.reception", "screen_data", []);
            this.state.ready = true;
        });
    }

    get statusLabels() {
        return {
            ok: _t("Received"),
            already: _t("Already received"),
            saved: _t("Inspected"),
            unknown: _t("Unknown"),
            bad_check_digit: _t("Wrong check digit"),
            bad_format: _t("Unreadable"),
            not_return: _t("Not a return parcel"),
            wrong_state: _t("Wrong state"),
            forbidden: _t("Forbidden"),
            error: _t("Error"),
        };
    }

    statusClass(status) {
        if (status === "saved" || status === "ok") {
            return "success";
        }
        return status === "already" ? "info" : "danger";
    }

    get canSave() {
        const checklist = this.state.checklist;
        return Boolean(
            this.state.rma?.can_inspect &&
                checklist.inspection_packaging &&
                checklist.inspection_condition &&
                !this.state.busy
        );
    }

    _emptyChecklist() {
        return {
            inspection_packaging: "",
            inspection_condition: "",
            inspection_accessories_complete: false,
            inspection_note: "",
        };
    }

    // ------------------------------------------------------------------------------
    // scanning
    // ------------------------------------------------------------------------------
    /**
     * A code read (scanner, camera or typed: `useScanInput`): receive its return.
     *
     * @param {String} scanned
     */
    async onScan(scanned) {
        const code = (scanned || "").trim();
        if (!code || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const result = await this.orm.call("tms.return.reception", "scan", [code]);
            this._show(result);
        } finally {
            this.state.busy = false;
        }
    }

    _show(result) {
        this.state.last = result;
        if (OK_STATUSES.includes(result.status) && result.return) {
            this.state.rma = result.return;
            this.state.checklist = {
                ...this._emptyChecklist(),
                ...result.return.checklist,
            };
            this.state.photos = [];
            this.state.saved = false;
        }
        this.scanInput.focus();
    }

    // ------------------------------------------------------------------------------
    // checklist
    // ------------------------------------------------------------------------------
    onSelect(field, ev) {
        this.state.checklist[field] = ev.target.value;
    }

    onAccessories(ev) {
        this.state.checklist.inspection_accessories_complete = ev.target.checked;
    }

    async onPhotos(ev) {
        const files = [...(ev.target.files || [])];
        ev.target.value = "";
        for (const file of files) {
            if (this.state.photos.length >= this.data.max_photos) {
                this.notification.add(
                    _t("At most %s photos at a time.", this.data.max_photos),
                    {type: "warning"}
                );
                break;
            }
            const dataUrl = await shrinkPicture(await getDataURLFromFile(file));
            this.state.photos.push({
                key: `${Date.now()}-${this.state.photos.length}`,
                name: file.name,
                url: dataUrl,
            });
        }
    }

    removePhoto(key) {
        this.state.photos = this.state.photos.filter((photo) => photo.key !== key);
    }

    async save() {
        if (!this.canSave) {
            return;
        }
        this.state.busy = true;
        try {
            const photos = this.state.photos.map((photo) => ({
                name: photo.name,
                data: photo.url.split(",")[1] || "",
            }));
            const result = await this.orm.call(
                "tms.return.reception",
                "save_inspection",
                [this.state.rma.id, {...this.state.checklist}, photos]
            );
            this.state.rma = result.return;
            this.state.photos = [];
            this.state.saved = true;
            this.state.last = {...result, status: "saved"};
        } finally {
            this.state.busy = false;
        }
    }

    next() {
        this.state.rma = null;
        this.state.last = null;
        this.state.saved = false;
        this.state.photos = [];
        this.state.checklist = this._emptyChecklist();
        this.scanInput.focus();
    }
}

registry.category("actions").add("tms_ec_return_reception", TmsReturnReception);
