import {registry} from "@web/core/registry";

// The depot's cashier opens a driver's cash sheet from the menu, counts 50 short in
// cash, confirms and sees the difference flagged; then prepares the shippers'
// remittances and pays one.
registry.category("web_tour.tours").add("tms_cod_cashier_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown--menu .o_app[data-menu-xmlid='tms_core.tms_menu_root']",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='tms_trans.tms_cod_menu']",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown--menu [data-menu-xmlid='tms_trans.tms_cod_sheet_menu']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(COD Tour Driver) td[name=name]",
            run: "click",
        },
        // What the driver declared, method by method
        {
            trigger:
                ".o_form_view .o_field_widget[name=declared_cash]:contains(450.00)",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=declared_cheque]:contains(200.00)",
        },
        // Youssef paid 100 of 150: the sheet already shows a difference
        {
            trigger: ".o_form_view .ribbon:contains(Difference)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=counted_cash] input",
            run: "edit 400",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=counted_cheque] input",
            run: "edit 200",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=counted_card] input",
            run: "click",
        },
        {
            content: "The count is 50 short of the declaration",
            trigger: ".o_form_view .o_field_widget[name=difference]:contains(-50.00)",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=counted_total]:contains(600.00)",
        },
        {
            trigger: ".o_form_view button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Confirmed)",
        },
        {
            trigger: ".o_form_view .ribbon:contains(Difference)",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=cashier_id]:contains(COD Tour Cashier)",
        },
        // The difference is flagged to the depot's manager
        {
            trigger: ".o-mail-Activity:contains(COD difference on)",
        },
        {
            trigger: ".o-mail-Activity:contains(COD Tour Manager)",
        },
        // The entry posted in the depot's cash journal, line by line: the 50 missing
        // on the driver
        {
            trigger: ".o_form_view .o_notebook a[name=posting]",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=move_line_ids] .o_data_row:contains(difference of driver COD Tour Driver):contains(50.00)",
        },
        {
            trigger:
                ".o_field_widget[name=move_line_ids] .o_data_row:contains(Boutique Atlas):contains(550.00)",
        },
        {
            trigger: ".o_form_view button[name=action_view_move]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
        {
            trigger: ".o_breadcrumb .active:contains(CCAS)",
        },
        // Remittances to the shippers
        {
            trigger: ".o_menu_sections [data-menu-xmlid='tms_trans.tms_cod_menu']",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown--menu [data-menu-xmlid='tms_trans.tms_cod_remittance_menu']",
            run: "click",
        },
        {
            trigger: ".o_control_panel button[name=action_prepare]",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Souk Digital)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Atlas) td[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=net_amount]:contains(530.00)",
        },
        {
            trigger: ".o_form_view button[name=action_pay]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Paid)",
        },
    ],
});

// The shipper's portal user opens the cash on delivery page: its remittance with its
// statement, nobody else's.
registry.category("web_tour.tours").add("tms_cod_portal_tour", {
    url: "/my",
    steps: () => [
        {
            trigger: "a[href='/my/cod']",
            run: "click",
        },
        {
            trigger: ".o_tms_cod_figures .o_tms_cod_remitted:contains(550.00)",
        },
        {
            content: "Only the shipper's own remittance is listed",
            trigger: ".o_tms_cod_remittance:contains(530.00)",
            run() {
                const rows = document.querySelectorAll(".o_tms_cod_remittance");
                if (rows.length !== 1) {
                    throw new Error(`${rows.length} remittances listed`);
                }
            },
        },
        {
            content: "The statement is served to the shipper",
            trigger: ".o_tms_cod_remittance a:contains(Statement)",
            async run() {
                const response = await fetch(this.anchor.getAttribute("href"));
                const text = await response.text();
                if (!response.ok || !text.includes("Cash on Delivery Statement")) {
                    throw new Error(`Statement not served (${response.status})`);
                }
                document.body.dataset.tmsStatement = "ok";
            },
        },
        {
            trigger: "body[data-tms-statement=ok]",
        },
    ],
});
