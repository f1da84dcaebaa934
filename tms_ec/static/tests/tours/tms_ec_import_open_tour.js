/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * A back-office operator opens Transport > E-commerce > Import Orders and clicks
 * "Import a File": the import wizard opens on its first step.
 */
registry.category("web_tour.tours").add("tms_ec_import_open_tour", {
    steps: () => [
        {
            content: "Import a File",
            trigger: "button[name=action_open_wizard]",
            run: "click",
        },
        {
            content: "The wizard opens on the file step",
            trigger: ".modal .o_form_view .o_field_widget[name=shipper_id]",
        },
        {
            trigger: ".modal .o_form_view .o_field_widget[name=file]",
        },
        {
            content: "No error dialog",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
