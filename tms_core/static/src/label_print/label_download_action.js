/** @odoo-module **/
import {download} from "@web/core/network/download";
import {registry} from "@web/core/registry";

/**
 * The end of "Print Labels" when the labels are a file: download it, say what was
 * made and close the print dialog. A download does not leave the page, so the
 * dialog would otherwise stay open with its old counts and invite a second print.
 *
 * params: url (the file), message (what was made, translated by the server).
 */
export async function labelDownloadAction(env, action) {
    const {url, message} = action.params;
    env.services.ui.block();
    try {
        await download({url, data: {}});
    } finally {
        env.services.ui.unblock();
    }
    env.services.notification.add(message, {type: "success"});
    return {type: "ir.actions.act_window_close"};
}

registry.category("actions").add("tms_label_download", labelDownloadAction);
