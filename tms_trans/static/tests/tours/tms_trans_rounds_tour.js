import {registry} from "@web/core/registry";

// A dispatcher plans tomorrow's rounds from a depot's parcels, locks a stop, moves
// one to the other round, optimises and applies the result, then prints a round's
// road sheet.
registry.category("web_tour.tours").add("tms_trans_rounds_tour", {
    url: "/odoo/action-tms_trans.tms_round_action",
    steps: () => [
        {
            trigger: ".o_control_panel button:contains(Plan Rounds)",
            run: "click",
        },
        // The dispatcher's own depot is proposed
        {
            trigger:
                ".modal .o_field_widget[name=hub_id] input:value([TOURR] Tour Rounds Depot)",
        },
        {
            trigger: ".modal .o_field_widget[name=candidate_count]:contains(3)",
        },
        // ... with the vans that are free tomorrow
        {
            trigger:
                ".modal .o_field_widget[name=vehicle_ids] .o_data_row:contains(TOUR-V1)",
        },
        {
            trigger:
                ".modal .o_field_widget[name=vehicle_ids] .o_data_row:contains(TOUR-V2)",
        },
        {
            trigger: ".modal button[name=action_plan]",
            run: "click",
        },
        // The stops, one column per round
        {
            trigger: ".o_kanban_view .o_kanban_record:contains(Tour Karim)",
        },
        {
            trigger:
                ".o_kanban_record:contains(Tour Karim) button[name=action_toggle_lock]",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains(Tour Karim) .fa-lock",
        },
        {
            trigger: ".o_kanban_record:contains(Tour Salma)",
            run: "drag_and_drop .o_kanban_group:has(.o_kanban_record:contains(Tour Karim))",
        },
        {
            trigger:
                ".o_kanban_group:has(.o_kanban_record:contains(Tour Karim)) .o_kanban_record:contains(Tour Salma)",
        },
        // Optimise both rounds
        {
            trigger: ".o_breadcrumb a:contains(Rounds)",
            run: "click",
        },
        {
            trigger:
                ".o_list_view .o_data_row:contains(TOURR):eq(0) .o_list_record_selector input",
            run: "click",
        },
        {
            trigger:
                ".o_list_view .o_data_row:contains(TOURR):eq(1) .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_control_panel button:contains(Optimise)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=time_budget] input",
            run: "edit 1",
        },
        {
            trigger: ".modal button[name=action_optimize]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Ready)",
        },
        {
            trigger: ".o_form_view button[name=action_apply]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Applied)",
        },
        // Print a round's road sheet from its form
        {
            trigger: ".o_breadcrumb a:contains(Rounds)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(TOURR):eq(0) td[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_cp_action_menus i.fa-cog",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu button:contains(Print)",
            run: "click",
        },
        {
            content: "Watch the download the Road Sheet starts",
            trigger: ".o-dropdown--menu .o_menu_item:contains(Road Sheet)",
            run() {
                const {download} = odoo.loader.modules.get(
                    "@web/core/network/download"
                );
                const original = download._download;
                download._download = async (options) => {
                    download._download = original;
                    try {
                        const result = await original(options);
                        document.body.dataset.tmsDownload = `ok ${options.data.data}`;
                        return result;
                    } catch (error) {
                        document.body.dataset.tmsDownload = "failed";
                        throw error;
                    }
                };
            },
        },
        {
            trigger: ".o-dropdown--menu .o_menu_item:contains(Road Sheet)",
            run: "click",
        },
        {
            content: "The road sheet was rendered and downloaded",
            trigger: "body[data-tms-download*='tms_trans.report_round_sheet']",
        },
    ],
});
