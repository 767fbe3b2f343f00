"""What the screens may do to the books: store services and queries, named, and nothing else.

Screens reach the books only through an instance of this class (`app.context.services`), so a
screen never builds a query, and tests can hand a screen a stand-in.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.approvals import ApprovalRow
    from store.customers import CustomerData


class _Service:
    """A store function, imported the first time a screen calls it.

    Importing every service module up front cost the first frame about 0.2 s; the first screen needs
    only a few of them. After the first call the function itself replaces this on the class.
    """

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self.attr = name

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        function = getattr(importlib.import_module(self.module), self.name)
        if owner is not None:
            setattr(owner, self.attr, staticmethod(function))
        return function


class Services:
    # looking up and reading
    find_accounts = _Service("store.lookup", "find_accounts")
    customer_view = _Service("store.queries", "customer_view")
    open_documents = _Service("store.queries", "open_documents")
    open_documents_page = _Service("store.queries", "open_documents_page")
    customer_documents = _Service("store.queries", "customer_documents")
    customer_payments = _Service("store.queries", "customer_payments")
    customer_activity = _Service("store.queries", "customer_activity")
    customer_notes = _Service("store.queries", "customer_notes")
    invoice_view = _Service("store.queries", "invoice_view")
    draft_view = _Service("store.queries", "draft_view")
    payment_view = _Service("store.queries", "payment_view")
    list_items = _Service("store.catalogue", "list_items")
    list_tax_codes = _Service("store.catalogue", "list_tax_codes")
    load_catalogue = _Service("store.catalogue", "load_catalogue")
    save_item = _Service("store.catalogue", "save_item")
    save_item_price = _Service("store.catalogue", "save_item_price")
    save_tax_code = _Service("store.catalogue", "save_tax_code")
    list_drafts = _Service("store.queries", "list_drafts")
    @staticmethod
    def tax_rounding() -> str:
        from store.settings import get_setting

        return get_setting("tax_rounding")

    # operators (the admin screen) and the lock date (the reports screen)
    list_operators = _Service("store.operators", "list_operators")
    add_operator = _Service("store.operators", "add_operator")
    grant_operator = _Service("store.operators", "grant_operator")
    disable_operator = _Service("store.operators", "disable_operator")
    lock_date = _Service("store.periods", "lock_date")

    # customers
    parse_customer_fields = _Service("store.customers", "parse_customer_fields")
    create_customer = _Service("store.customers", "create_customer")
    update_customer = _Service("store.customers", "update_customer")
    put_on_hold = _Service("store.customers", "put_on_hold")
    release_hold = _Service("store.customers", "release_hold")
    add_note = _Service("store.customers", "add_note")

    # invoices
    parse_line_fields = _Service("store.invoices", "parse_line_fields")
    preview_totals = _Service("store.invoices", "preview_totals")
    create_draft = _Service("store.invoices", "create_draft")
    update_draft = _Service("store.invoices", "update_draft")
    delete_draft = _Service("store.invoices", "delete_draft")
    post_invoice = _Service("store.invoices", "post_invoice")
    create_and_post = _Service("store.invoices", "create_and_post")
    void_invoice = _Service("store.invoices", "void_invoice")
    credit_invoice = _Service("store.invoices", "credit_invoice")

    # orders in for review, and the billing run (the orders screen)
    list_orders = _Service("store.orders", "list_orders")
    import_order_file = _Service("store.orders", "import_order_file")
    approve_orders = _Service("store.orders", "approve_orders")
    hold_order = _Service("store.orders", "hold_order")
    reject_order = _Service("store.orders", "reject_order")
    preview_billing = _Service("store.order_billing", "preview_billing")
    bill_orders = _Service("store.order_billing", "bill_orders")

    # payments and matching
    record_payment = _Service("store.payments", "record_payment")
    record_and_allocate = _Service("store.payments", "record_and_allocate")
    usual_method = _Service("store.payment_methods", "usual_method")
    allocate_payment = _Service("store.payments", "allocate_payment")
    unallocate_payment = _Service("store.payments", "unallocate_payment")
    match_queue = _Service("store.matching", "match_queue")
    suggest_allocations = _Service("store.matching", "suggest_allocations")
    accept_suggestion = _Service("store.matching", "accept_suggestion")
    split_payment = _Service("store.matching", "split_payment")
    claim_payment = _Service("store.matching", "claim_payment")
    release_payment = _Service("store.matching", "release_payment")

    @staticmethod
    def work_on(previous: str | None, number: str):
        """Move the operator's claim to `number` and rank its suggestions: one trip to the database thread."""
        from store import matching

        return matching.move_claim(previous, number), matching.suggest_allocations(number)

    queue_row = _Service("store.matching", "queue_row")
    return_payment = _Service("store.payments", "return_payment")
    request_refund = _Service("store.payments", "request_refund")
    auto_match = _Service("store.matching", "auto_match")

    @staticmethod
    def company_name() -> str:
        from store.settings import get_setting

        return get_setting("company_name")

    @staticmethod
    def run_report(name: str, when=None, **options):
        from store.reports import run_report

        return run_report(name, when, **options)

    @staticmethod
    def render_document_pdf(number: str) -> bytes:
        from exports.from_books import invoice_pdf

        return invoice_pdf(number)

    @staticmethod
    def email_document(number: str) -> str:
        from exports.deliver import deliver_one

        return deliver_one(number)

    open_dispute = _Service("store.disputes", "open_dispute")
    record_promise = _Service("store.collections", "record_promise")
    @staticmethod
    def send_to_collections(account_no: str, agency: str) -> str:
        from exports.packet import send_with_packet

        result, path = send_with_packet(account_no, agency, "")
        return f"Sent to {result.agency}; packet written to {path}"  # type: ignore[attr-defined]

    resolve_dispute_with_credit = _Service("store.disputes", "resolve_with_credit")
    open_dispute_of = _Service("store.disputes", "open_dispute_of")
    reject_dispute = _Service("store.disputes", "reject_dispute")

    @staticmethod
    def read_statement_file(path):
        from store.import_files import read_statement_file

        return read_statement_file(path)

    @staticmethod
    def import_statement(data: bytes, filename: str, mapping=None):
        from store.imports import import_statement

        return import_statement(data, filename, mapping)

    @staticmethod
    def statement_mapping(data: bytes, filename: str):
        """What a statement file needs before import: ("csv", saved mapping or None, a guess), or (kind, None, None)."""
        from store.importers import detect_format, guess_mapping
        from store.imports import mapping_for

        kind = detect_format(data, filename)
        if kind != "csv":
            return kind, None, None
        return kind, mapping_for(data), guess_mapping(data, filename.rsplit(".", 1)[0] or "statement")

    @staticmethod
    def read_with_mapping(data: bytes, values: dict[str, str]):
        """The mapping the operator filled in, and the file read with it; raises naming the field or line."""
        from store.importers import CsvMapping, parse_statement
        from store.imports import check_currency_of

        mapping = CsvMapping.from_dict(values)
        statement = parse_statement(data, "statement.csv", mapping)
        check_currency_of(statement, mapping)  # refused here, before the mapping is saved
        return mapping, statement

    @staticmethod
    def save_mapping(mapping) -> None:
        from store.imports import save_mapping

        save_mapping(mapping)

    pending_counts = _Service("store.deliveries", "pending_counts")

    @staticmethod
    def deliver_pending(processes: int | None = None, progress=None):
        from exports.deliver import deliver_pending

        return deliver_pending(processes, progress)

    @staticmethod
    def delivery_log(status: str | None = None) -> list:
        from store.outbox import delivery_log

        return delivery_log(status)

    @staticmethod
    def resend_message(item_id: int):
        from exports.deliver import resend

        return resend(item_id)

    @staticmethod
    def mark_message_sent(item_id: int):
        from store.outbox import mark_sent

        return mark_sent(item_id)

    @staticmethod
    def dunning_run(as_of):
        from store.dunning import dunning_run

        return dunning_run(as_of)

    @staticmethod
    def send_dunning(as_of, processes: int | None = None, progress=None):
        from exports.deliver import send_dunning

        return send_dunning(as_of, processes, progress)

    # the statement run (period end): the same services as `billfold statements`
    preview_statements = _Service("store.statement_runs", "preview_statements")

    @staticmethod
    def send_statements(as_of, date_from=None, processes: int | None = None, progress=None):
        from exports.deliver import send_statements

        return send_statements(as_of, date_from, processes, progress)

    @staticmethod
    def customer_data(account_no: str) -> CustomerData:
        from store.customers import customer_data, get_customer

        return customer_data(get_customer(account_no))

    @staticmethod
    def gl_overview(period: str, fmt: str, currency: str | None):
        """The ledger export screen's state: (plan, mapping rows, accounts the month uses, currency shown)."""
        from store.gl_export import ONE_CURRENCY, parse_month, period_currencies, plan_export, used_accounts
        from store.gl_mapping import account_mapping
        from store.settings import get_setting

        month = parse_month(period)
        currencies = period_currencies(month)
        if fmt in ONE_CURRENCY and currency is None and currencies:
            base = get_setting("base_currency")
            currency = base if base in currencies else currencies[0]
        return plan_export(period, fmt, currency), account_mapping(), used_accounts(month, currency), currency

    @staticmethod
    def export_ledger(period: str, fmt: str, path: str, currency: str | None, again: bool = False):
        from exports.gl_formats import export_to_file

        return export_to_file(period, fmt, path, currency=currency, again=again)

    @staticmethod
    def gl_default_file(period: str, fmt: str, currency: str | None, sequence: int) -> str:
        from exports.gl_formats import default_file_name

        return default_file_name(period, fmt, currency, sequence)

    @staticmethod
    def set_gl_mapping(account: str, target: str):
        from store.gl_mapping import set_mapping

        return set_mapping(account, target)

    # the team: approvals (four eyes), worklists, the audit trail
    list_requests = _Service("store.approvals", "list_requests")
    get_request = _Service("store.approvals", "get_request")

    @staticmethod
    def approve_request(request_id: int, note: str = "") -> ApprovalRow:
        """Approve and carry out; an approved collections request also writes the agency's packet."""
        from exports.packet import approve_with_packet

        return approve_with_packet(request_id, note)[0]

    reject_request = _Service("store.approvals", "reject_request")
    request_from = _Service("store.approvals", "request_from")
    my_work = _Service("store.worklists", "my_work")
    team_today = _Service("store.worklists", "team_today")
    reassign = _Service("store.worklists", "reassign")
    open_assignments = _Service("store.worklists", "open_assignments")
    audit_events = _Service("store.audit_trail", "audit_events")
    chain_head = _Service("store.audit_trail", "chain_head")

    @staticmethod
    def refund_limit() -> int:
        """Refunds above this many minor units wait for a second person."""
        from store.settings import get_setting

        return int(get_setting("refund_approval_minor") or 0)

    # recurring contracts and the month's billing run (tui/screens/contracts.py)
    @staticmethod
    def list_contracts(account_no: str | None = None) -> list:
        from store.contracts import list_contracts

        return list_contracts(account_no)

    @staticmethod
    def add_contract(data):
        from store.contracts import add_contract

        return add_contract(data)

    @staticmethod
    def end_contract(contract_id: int, on):
        from store.contracts import end_contract

        return end_contract(contract_id, on)

    @staticmethod
    def plan_recurring_run(month: str):
        from store.recurring_plan import plan_run

        return plan_run(month)

    @staticmethod
    def draft_recurring_run(month: str, progress=None):
        from store.recurring import draft_run

        return draft_run(month, progress)

    @staticmethod
    def post_recurring_run(month: str, progress=None):
        from store.recurring import post_run

        return post_run(month, progress)
