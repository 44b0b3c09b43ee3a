/* Who may do what to an order: every stage x every command x every role (a consultant both
 * on their own order and on a colleague's), written out as the expected letter per cell,
 * for an order with nothing pending, with a change and a cancellation awaiting the
 * supervisor, and with both awaiting the manager. Then every sub-state and argument rule on
 * its own. The expectations are written by hand from /tmp/issue3.md's table, not computed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define OWNER 7 /* the order's consultant */
#define OTHER 8 /* a colleague */
#define TOTAL 30000000LL

/* Matrix columns: one actor each. */
enum col {
    C_RECEPTION,
    C_TELESALES,
    C_OWN,   /* consultant, the order's own */
    C_OTHER, /* consultant, somebody else's order */
    C_SUPERVISOR,
    C_MANAGER,
    C_FINANCE,
    C_SERVICE,
    C_MARKETING,
    C_ADMIN,
    C__COUNT
};

static struct domain_actor actor_of(int col)
{
    static const enum domain_role roles[C__COUNT] = {
        DOMAIN_ROLE_RECEPTION,  DOMAIN_ROLE_TELESALES,  DOMAIN_ROLE_CONSULTANT,
        DOMAIN_ROLE_CONSULTANT, DOMAIN_ROLE_SUPERVISOR, DOMAIN_ROLE_MANAGER,
        DOMAIN_ROLE_FINANCE,    DOMAIN_ROLE_SERVICE,    DOMAIN_ROLE_MARKETING,
        DOMAIN_ROLE_ADMIN,
    };
    struct domain_actor a = {.role = roles[col], .staff_id = 100 + col};
    if (col == C_OWN)
        a.staff_id = OWNER;
    if (col == C_OTHER)
        a.staff_id = OTHER;
    return a;
}

/* A typical loan order in each stage with nothing pending: approved orders have no loan step
 * done; the allocated one waits for a factory car and has a deposit; paid and later ones have
 * a prepared stock car, every loan step, the down payment and disbursement, and an invoice;
 * the cancelled one owes back its deposit. */
static struct domain_order_state fixture(enum domain_stage stage)
{
    struct domain_order_state s;
    memset(&s, 0, sizeof s);
    s.stage = stage;
    s.consultant_id = OWNER;
    s.payment = DOMAIN_PAY_LOAN;
    s.quantity = 1;
    s.unit_price_fen = TOTAL;
    s.total_fen = TOTAL;
    s.customer_kind = DOMAIN_CUSTOMER_INDIVIDUAL;
    s.times.created_at = s.times.entered_at = 1000;
    switch (stage) {
    case DOMAIN_STAGE_ALLOCATED:
        s.alloc_kind = DOMAIN_ALLOC_FACTORY;
        s.eta = 5000000;
        s.paid_fen = 1000000;
        break;
    case DOMAIN_STAGE_PAID:
    case DOMAIN_STAGE_READY:
    case DOMAIN_STAGE_DELIVERED:
    case DOMAIN_STAGE_CLOSED:
        s.alloc_kind = DOMAIN_ALLOC_STOCK;
        s.has_vin = true;
        for (int i = 0; i < DOMAIN_PREP__COUNT; i++)
            s.prep_at[i] = 2000 + i;
        for (int i = 0; i < DOMAIN_LOAN__COUNT; i++)
            s.loan_at[i] = 3000 + i;
        s.down_payment_fen = 9000000;
        s.loan_disbursed_fen = TOTAL - 9000000;
        s.paid_fen = TOTAL;
        s.invoice_issued = true;
        if (stage != DOMAIN_STAGE_PAID)
            for (int i = 0; i < DOMAIN_DOC__COUNT; i++)
                s.doc_at[i] = 4000;
        break;
    case DOMAIN_STAGE_CANCELLED:
        s.paid_fen = 1000000;
        s.refund_due_fen = 1000000;
        s.times.cancelled_at = 5000;
        break;
    default:
        break;
    }
    return s;
}

/* A price change (needs a manager) and a cancellation, both awaiting the supervisor. */
static struct domain_order_state fixture_pending(enum domain_stage stage, bool at_manager)
{
    struct domain_order_state s = fixture(stage);
    s.change_pending = true;
    s.change_fields = DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_UNIT_PRICE);
    s.change_needs_manager = true;
    s.change_supervisor_approved = at_manager;
    s.change_quantity = 1;
    s.change_unit_price_fen = TOTAL - 1000000; /* below what a paid order has paid */
    s.change_payment = DOMAIN_PAY_LOAN;
    s.cancel_pending = true;
    s.cancel_needs_manager = at_manager;
    s.cancel_supervisor_approved = at_manager;
    return s;
}

/* Arguments that satisfy every argument rule of each command. */
static struct domain_order_args good_args(enum domain_order_cmd cmd)
{
    struct domain_order_args a;
    memset(&a, 0, sizeof a);
    a.pass = true;
    a.has_reason = true;
    switch (cmd) {
    case DOMAIN_ORDER_CREATE:
        a.quantity = 1;
        a.unit_price_fen = TOTAL;
        a.payment = DOMAIN_PAY_LOAN;
        break;
    case DOMAIN_ORDER_EDIT:
        a.has_quantity = true;
        a.quantity = 2;
        break;
    case DOMAIN_ORDER_ALLOCATE:
    case DOMAIN_ORDER_VEHICLE_ARRIVED:
        a.has_vin = true;
        break;
    case DOMAIN_ORDER_VEHICLE_PREP:
        a.prep_step = DOMAIN_PREP_CLEANING;
        break;
    case DOMAIN_ORDER_ETA:
        a.eta = 9000000;
        break;
    case DOMAIN_ORDER_PAYMENT_CONFIRM:
    case DOMAIN_ORDER_REFUND_CONFIRM:
        a.amount_fen = 100;
        a.pay_kind = DOMAIN_PAYK_DEPOSIT;
        break;
    case DOMAIN_ORDER_INVOICE_ISSUE:
        a.has_invoice_no = true;
        break;
    case DOMAIN_ORDER_LOAN_STEP:
        a.loan_step = DOMAIN_LOAN_DOCUMENTS;
        break;
    case DOMAIN_ORDER_READY:
        a.documents_all = true;
        break;
    case DOMAIN_ORDER_DELIVER:
        a.checklist_all = true;
        a.rating = 5;
        break;
    case DOMAIN_ORDER_CHANGE_REQUEST:
        a.change_fields = DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_REMARKS);
        break;
    default:
        break;
    }
    return a;
}

/* One command's expected outcome per stage, one letter per matrix column: A allowed,
 * F forbidden, I invalid_state, B bad_field. */
struct matrix_row {
    enum domain_order_cmd cmd;
    const char *cells[DOMAIN_STAGE__COUNT];
};

/* Columns: reception telesales own-consultant other-consultant supervisor manager finance
 * service marketing admin. Stages: entered reviewed returned approved allocated paid ready
 * delivered closed cancelled. */
// clang-format off
static const struct matrix_row matrix_base[] = {
    {DOMAIN_ORDER_CREATE, {"FFAAFFFFFF", "FFAAFFFFFF", "FFAAFFFFFF", "FFAAFFFFFF", "FFAAFFFFFF", "FFAAFFFFFF", "FFAAFFFFFF", "FFAAFFFFFF", "FFAAFFFFFF", "FFAAFFFFFF"}},
    {DOMAIN_ORDER_REVIEW, {"FFFFAFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF"}},
    {DOMAIN_ORDER_APPROVE, {"FFFFFIFFFF", "FFFFFAFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF"}},
    {DOMAIN_ORDER_EDIT, {"FFIFFFFFFF", "FFIFFFFFFF", "FFAFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_RESUBMIT, {"FFIFFFFFFF", "FFIFFFFFFF", "FFAFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_ALLOCATE, {"FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFAAFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF"}},
    {DOMAIN_ORDER_VEHICLE_ARRIVED, {"FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFAAFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF"}},
    {DOMAIN_ORDER_VEHICLE_PREP, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFBFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_ETA, {"FFIFFIFFFF", "FFIFFIFFFF", "FFIFFIFFFF", "FFAFFAFFFF", "FFAFFAFFFF", "FFIFFIFFFF", "FFIFFIFFFF", "FFIFFIFFFF", "FFIFFIFFFF", "FFIFFIFFFF"}},
    {DOMAIN_ORDER_PAYMENT_CONFIRM, {"FFFFFFAFFF", "FFFFFFAFFF", "FFFFFFAFFF", "FFFFFFAFFF", "FFFFFFAFFF", "FFFFFFBFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF"}},
    {DOMAIN_ORDER_INVOICE_ISSUE, {"FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF"}},
    {DOMAIN_ORDER_LOAN_STEP, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFAFFFFFFF", "FFAFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_READY, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFAFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_DELIVER, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFAFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_CLOSE, {"FFFFFIFFFI", "FFFFFIFFFI", "FFFFFIFFFI", "FFFFFIFFFI", "FFFFFIFFFI", "FFFFFIFFFI", "FFFFFIFFFI", "FFFFFAFFFA", "FFFFFIFFFI", "FFFFFIFFFI"}},
    {DOMAIN_ORDER_CHANGE_REQUEST, {"FFAFFFFFFF", "FFAFFFFFFF", "FFIFFFFFFF", "FFAFFFFFFF", "FFAFFFFFFF", "FFAFFFFFFF", "FFAFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_CHANGE_REVIEW, {"FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF"}},
    {DOMAIN_ORDER_CANCEL_REQUEST, {"FFAFAFFFFF", "FFAFAFFFFF", "FFAFAFFFFF", "FFAFAFFFFF", "FFAFAFFFFF", "FFAFAFFFFF", "FFAFAFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF"}},
    {DOMAIN_ORDER_CANCEL_REVIEW, {"FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF"}},
    {DOMAIN_ORDER_CANCEL_APPROVE, {"FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF"}},
    {DOMAIN_ORDER_REFUND_CONFIRM, {"FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFIFFF", "FFFFFFAFFF"}},
    {DOMAIN_ORDER_NOTE, {"AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA"}},
    {DOMAIN_ORDER_GET, {"AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA"}},
    {DOMAIN_ORDER_LIST, {"AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA", "AAAAAAAAAA"}},
};

static const struct matrix_row matrix_change_cancel_at_supervisor[] = {
    {DOMAIN_ORDER_CHANGE_REQUEST, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_CHANGE_REVIEW, {"FFFFAIFFFF", "FFFFAIFFFF", "FFFFAIFFFF", "FFFFAIFFFF", "FFFFAIFFFF", "FFFFAIFFFF", "FFFFAIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF"}},
    {DOMAIN_ORDER_CANCEL_REQUEST, {"FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF"}},
    {DOMAIN_ORDER_CANCEL_REVIEW, {"FFFFAFFFFF", "FFFFAFFFFF", "FFFFAFFFFF", "FFFFAFFFFF", "FFFFAFFFFF", "FFFFAFFFFF", "FFFFAFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF"}},
    {DOMAIN_ORDER_CANCEL_APPROVE, {"FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF"}},
    {DOMAIN_ORDER_READY, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_DELIVER, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
};

static const struct matrix_row matrix_change_cancel_at_manager[] = {
    {DOMAIN_ORDER_CHANGE_REQUEST, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_CHANGE_REVIEW, {"FFFFFAFFFF", "FFFFFAFFFF", "FFFFFAFFFF", "FFFFFAFFFF", "FFFFFAFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFIIFFFF", "FFFFIIFFFF", "FFFFIIFFFF"}},
    {DOMAIN_ORDER_CANCEL_REQUEST, {"FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF", "FFIFIFFFFF"}},
    {DOMAIN_ORDER_CANCEL_REVIEW, {"FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF", "FFFFIFFFFF"}},
    {DOMAIN_ORDER_CANCEL_APPROVE, {"FFFFFAFFFF", "FFFFFAFFFF", "FFFFFAFFFF", "FFFFFAFFFF", "FFFFFAFFFF", "FFFFFAFFFF", "FFFFFAFFFF", "FFFFFIFFFF", "FFFFFIFFFF", "FFFFFIFFFF"}},
    {DOMAIN_ORDER_READY, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
    {DOMAIN_ORDER_DELIVER, {"FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF", "FFIFFFFFFF"}},
};
// clang-format on

static char outcome(int rc, const struct proto_error *err)
{
    if (rc == 0)
        return 'A';
    switch (err->code) {
    case PROTO_E_FORBIDDEN:
        return 'F';
    case PROTO_E_INVALID_STATE:
        return 'I';
    case PROTO_E_BAD_FIELD:
        return 'B';
    default:
        return '?';
    }
}

/* Runs one matrix; `fix` builds the order for a stage. Every failure is reported at once. */
static void run_matrix(const struct matrix_row *rows, size_t n,
                       struct domain_order_state (*fix)(enum domain_stage, bool), bool arg)
{
    int failures = 0;
    for (size_t r = 0; r < n; r++) {
        for (int st = 0; st < DOMAIN_STAGE__COUNT; st++) {
            assert_int_equal(strlen(rows[r].cells[st]), C__COUNT);
            for (int col = 0; col < C__COUNT; col++) {
                struct domain_order_state s = fix((enum domain_stage)st, arg);
                struct domain_order_state before = s;
                struct domain_actor a = actor_of(col);
                struct domain_order_args args = good_args(rows[r].cmd);
                struct proto_error err;
                memset(&err, 0, sizeof err);
                int rc = domain_order_check(&s, &a, rows[r].cmd, &args, &err);
                char got = outcome(rc, &err), want = rows[r].cells[st][col];
                if (got != want) {
                    print_error("%s at %s by column %d: got %c want %c (%s)\n",
                                domain_order_cmd_name(rows[r].cmd),
                                domain_stage_name((enum domain_stage)st), col, got, want,
                                err.message);
                    failures++;
                }
                /* a refusal always explains itself; invalid_state names the stage */
                if (rc != 0) {
                    assert_int_equal(rc, -1);
                    assert_true(err.message[0] != '\0');
                    if (got == 'I')
                        assert_non_null(
                            strstr(err.message, domain_stage_name((enum domain_stage)st)));
                    if (got == 'B')
                        assert_true(err.field[0] != '\0');
                }
                assert_memory_equal(&s, &before, sizeof s); /* check never writes */
            }
        }
    }
    if (failures)
        fail_msg("%d matrix cells differ", failures);
}

static struct domain_order_state fixture_plain(enum domain_stage st, bool unused)
{
    (void)unused;
    return fixture(st);
}

static void test_matrix_base(void **state)
{
    (void)state;
    assert_int_equal(N(matrix_base), DOMAIN_ORDER__COUNT);
    for (size_t i = 0; i < N(matrix_base); i++)
        assert_int_equal(matrix_base[i].cmd, (int)i); /* every command, in enum order */
    run_matrix(matrix_base, N(matrix_base), fixture_plain, false);
}

static void test_matrix_pending_at_supervisor(void **state)
{
    (void)state;
    run_matrix(matrix_change_cancel_at_supervisor, N(matrix_change_cancel_at_supervisor),
               fixture_pending, false);
}

static void test_matrix_pending_at_manager(void **state)
{
    (void)state;
    run_matrix(matrix_change_cancel_at_manager, N(matrix_change_cancel_at_manager), fixture_pending,
               true);
}

/* ---- single rules ---- */

/* Checks one command: code PROTO_E_OK means allowed; `field` is the bad field (or NULL). */
static void expect_at(int line, const struct domain_order_state *s, int col,
                      enum domain_order_cmd cmd, const struct domain_order_args *args,
                      enum proto_err code, const char *field)
{
    struct domain_actor a = actor_of(col);
    struct proto_error err;
    memset(&err, 0, sizeof err);
    int rc = domain_order_check(s, &a, cmd, args, &err);
    if (code == PROTO_E_OK) {
        if (rc != 0)
            fail_msg("line %d: %s refused: %s", line, domain_order_cmd_name(cmd), err.message);
        return;
    }
    if (rc != -1 || err.code != code)
        fail_msg("line %d: %s: got rc %d code %s (%s), want %s", line, domain_order_cmd_name(cmd),
                 rc, proto_error_code(err.code), err.message, proto_error_code(code));
    if (field && strcmp(err.field, field) != 0)
        fail_msg("line %d: %s: field '%s', want '%s'", line, domain_order_cmd_name(cmd), err.field,
                 field);
}
#define EXPECT(s, col, cmd, args, code, field) expect_at(__LINE__, s, col, cmd, args, code, field)
#define OK                                     PROTO_E_OK
#define BAD                                    PROTO_E_BAD_FIELD
#define STATE                                  PROTO_E_INVALID_STATE
#define FORB                                   PROTO_E_FORBIDDEN

static void test_create_args(void **state)
{
    (void)state;
    struct domain_order_args a = good_args(DOMAIN_ORDER_CREATE);
    EXPECT(NULL, C_OWN, DOMAIN_ORDER_CREATE, &a, OK, NULL); /* no order yet */
    static const struct {
        int quantity;
        int64_t price;
        int payment, kind, rating;
        enum proto_err code;
        const char *field;
    } cases[] = {
        {1, TOTAL, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_NONE, OK, NULL},
        {99, TOTAL, DOMAIN_PAY_LOAN, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_NONE, OK, NULL},
        {0, TOTAL, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_NONE, BAD,
         "quantity"},
        {100, TOTAL, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_NONE, BAD,
         "quantity"},
        {-1, TOTAL, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_NONE, BAD,
         "quantity"},
        {1, 0, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_NONE, BAD,
         "unit_price_fen"},
        {1, 1, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_NONE, OK, NULL},
        {99, DOMAIN_ORDER_MAX_UNIT_PRICE_FEN, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL,
         DOMAIN_CREDIT_NONE, OK, NULL},
        {1, DOMAIN_ORDER_MAX_UNIT_PRICE_FEN + 1, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL,
         DOMAIN_CREDIT_NONE, BAD, "unit_price_fen"},
        {1, TOTAL, 2, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_NONE, BAD, "payment"},
        {1, TOTAL, DOMAIN_PAY_FULL, 2, DOMAIN_CREDIT_NONE, BAD, "customer_kind"},
        {1, TOTAL, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_INDIVIDUAL, DOMAIN_CREDIT_A, BAD,
         "credit_rating"},
        {1, TOTAL, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_COMPANY, DOMAIN_CREDIT_D, OK, NULL},
        {1, TOTAL, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_COMPANY, DOMAIN_CREDIT_NONE, OK, NULL},
        {1, TOTAL, DOMAIN_PAY_FULL, DOMAIN_CUSTOMER_COMPANY, DOMAIN_CREDIT__COUNT, BAD,
         "credit_rating"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        a.quantity = cases[i].quantity;
        a.unit_price_fen = cases[i].price;
        a.payment = (enum domain_payment)cases[i].payment;
        a.customer_kind = (enum domain_customer_kind)cases[i].kind;
        a.credit_rating = (enum domain_credit)cases[i].rating;
        expect_at((int)i, NULL, C_OWN, DOMAIN_ORDER_CREATE, &a, cases[i].code, cases[i].field);
    }
}

static void test_review_args(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_ENTERED);
    struct domain_order_args a = {.pass = false};
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_REVIEW, &a, BAD, "reason");
    a.has_reason = true;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_REVIEW, &a, OK, NULL);
    /* company credit: C and D need conditions to pass, A and B do not, failing never does */
    static const struct {
        enum domain_credit rating;
        int conditions;
        enum proto_err code;
    } cases[] = {
        {DOMAIN_CREDIT_NONE, 0, OK}, {DOMAIN_CREDIT_A, 0, OK},  {DOMAIN_CREDIT_B, 0, OK},
        {DOMAIN_CREDIT_C, 0, BAD},   {DOMAIN_CREDIT_D, 0, BAD}, {DOMAIN_CREDIT_C, 1, OK},
        {DOMAIN_CREDIT_D, 3, OK},    {DOMAIN_CREDIT_D, 4, BAD}, {DOMAIN_CREDIT_A, -1, BAD},
    };
    s.customer_kind = DOMAIN_CUSTOMER_COMPANY;
    for (size_t i = 0; i < N(cases); i++) {
        s.credit_rating = cases[i].rating;
        struct domain_order_args p = {.pass = true, .conditions = cases[i].conditions};
        expect_at((int)i, &s, C_SUPERVISOR, DOMAIN_ORDER_REVIEW, &p, cases[i].code, "conditions");
        struct domain_order_args f = {.pass = false, .has_reason = true};
        expect_at((int)i, &s, C_SUPERVISOR, DOMAIN_ORDER_REVIEW, &f, OK, NULL);
    }
    /* an individual never needs conditions, whatever a stale rating says */
    s.customer_kind = DOMAIN_CUSTOMER_INDIVIDUAL;
    s.credit_rating = DOMAIN_CREDIT_D;
    struct domain_order_args p = {.pass = true};
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_REVIEW, &p, OK, NULL);
}

static void test_approve_args(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_REVIEWED);
    struct domain_order_args a = {.pass = false};
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_APPROVE, &a, BAD, "reason");
    a.has_reason = true;
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_APPROVE, &a, OK, NULL);
    a.pass = true;
    a.has_reason = false;
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_APPROVE, &a, OK, NULL);
}

static void test_edit_args(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_RETURNED);
    s.paid_fen = s.down_payment_fen = 5000000;
    struct domain_order_args a = {0};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, OK, NULL); /* only text fields edited */
    a = (struct domain_order_args){.has_quantity = true, .quantity = 0};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, BAD, "quantity");
    a = (struct domain_order_args){.has_unit_price = true, .unit_price_fen = -5};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, BAD, "unit_price_fen");
    a = (struct domain_order_args){.has_unit_price = true, .unit_price_fen = 4999999};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, BAD, "unit_price_fen"); /* below paid */
    a.unit_price_fen = 5000000;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, OK, NULL); /* exactly paid */
    a = (struct domain_order_args){.has_payment = true, .payment = DOMAIN_PAY_FULL};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, BAD, "payment"); /* down payment received */
    s.down_payment_fen = 0;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, OK, NULL); /* a plain deposit is fine */
    a.payment = (enum domain_payment)7;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, BAD, "payment");
    a = (struct domain_order_args){.has_credit_rating = true, .credit_rating = DOMAIN_CREDIT_B};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, BAD, "credit_rating"); /* individual */
    a.has_customer_kind = true;
    a.customer_kind = DOMAIN_CUSTOMER_COMPANY;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, OK, NULL);
    a.customer_kind = (enum domain_customer_kind)9;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_EDIT, &a, BAD, "customer_kind");
}

static void test_allocation_rules(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_APPROVED);
    struct domain_order_args a = {.has_vin = true, .factory_eta = 9000};
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_ALLOCATE, &a, BAD, "vin"); /* both */
    a = (struct domain_order_args){0};
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_ALLOCATE, &a, BAD, "vin"); /* neither */
    a.factory_eta = 9000;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_ALLOCATE, &a, OK, NULL);
    a.factory_eta = -1;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_ALLOCATE, &a, BAD, "factory_eta");

    /* the car of a factory order arrives once */
    s = fixture(DOMAIN_STAGE_ALLOCATED); /* factory, not arrived */
    a = (struct domain_order_args){0};
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_VEHICLE_ARRIVED, &a, BAD, "vin");
    a.has_vin = true;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_VEHICLE_ARRIVED, &a, OK, NULL);
    s.stage = DOMAIN_STAGE_PAID; /* money can be complete before the car arrives */
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_VEHICLE_ARRIVED, &a, OK, NULL);
    s.has_vin = true;
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_VEHICLE_ARRIVED, &a, STATE, NULL);
    s.alloc_kind = DOMAIN_ALLOC_STOCK;
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_VEHICLE_ARRIVED, &a, STATE, NULL);

    /* preparation needs a car; each step once */
    s = fixture(DOMAIN_STAGE_ALLOCATED);
    a = (struct domain_order_args){.prep_step = DOMAIN_PREP_INSPECTION};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_VEHICLE_PREP, &a, STATE, NULL);
    s.has_vin = true;
    for (int p = 0; p < DOMAIN_PREP__COUNT; p++) {
        a.prep_step = (enum domain_prep_step)p;
        EXPECT(&s, C_OWN, DOMAIN_ORDER_VEHICLE_PREP, &a, OK, NULL);
        s.prep_at[p] = 77;
        EXPECT(&s, C_OWN, DOMAIN_ORDER_VEHICLE_PREP, &a, BAD, "step");
    }
    a.prep_step = DOMAIN_PREP__COUNT;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_VEHICLE_PREP, &a, BAD, "step");
}

static void test_eta_rules(void **state)
{
    (void)state;
    struct domain_order_args a = {.eta = 123456, .has_reason = true};
    struct domain_order_state s = fixture(DOMAIN_STAGE_APPROVED);
    EXPECT(&s, C_OWN, DOMAIN_ORDER_ETA, &a, OK, NULL); /* the promised date before allocation */
    s = fixture(DOMAIN_STAGE_ALLOCATED);               /* factory, waiting */
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_ETA, &a, OK, NULL);
    s.has_vin = true;
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_ETA, &a, STATE, NULL); /* arrived */
    s.alloc_kind = DOMAIN_ALLOC_STOCK;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_ETA, &a, STATE, NULL); /* stock */
    s = fixture(DOMAIN_STAGE_ALLOCATED);
    a.eta = 0;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_ETA, &a, BAD, "eta");
    a.eta = 5;
    a.has_reason = false;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_ETA, &a, BAD, "reason");
}

static void test_payment_rules(void **state)
{
    (void)state;
    struct domain_order_state full = fixture(DOMAIN_STAGE_APPROVED);
    full.payment = DOMAIN_PAY_FULL;
    struct domain_order_args a = {.amount_fen = 0, .pay_kind = DOMAIN_PAYK_DEPOSIT};
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, BAD, "amount_fen");
    a.amount_fen = -100;
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, BAD, "amount_fen");
    a.amount_fen = TOTAL; /* exactly the total */
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, OK, NULL);
    a.amount_fen = TOTAL + 1; /* never over */
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, BAD, "amount_fen");
    full.paid_fen = TOTAL - 10;
    a.amount_fen = 10;
    a.pay_kind = DOMAIN_PAYK_BALANCE;
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, OK, NULL);
    a.amount_fen = 11;
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, BAD, "amount_fen");
    a.amount_fen = 1;
    a.pay_kind = DOMAIN_PAYK__COUNT;
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, BAD, "kind");
    /* loan kinds only on loan orders */
    a.pay_kind = DOMAIN_PAYK_DOWN_PAYMENT;
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, BAD, "kind");
    a.pay_kind = DOMAIN_PAYK_LOAN_DISBURSEMENT;
    EXPECT(&full, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, BAD, "kind");

    struct domain_order_state loan = fixture(DOMAIN_STAGE_ALLOCATED);
    a = (struct domain_order_args){.amount_fen = 100, .pay_kind = DOMAIN_PAYK_DEPOSIT};
    EXPECT(&loan, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, OK, NULL);
    a.pay_kind = DOMAIN_PAYK_BALANCE;
    EXPECT(&loan, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, OK, NULL);
    a.pay_kind = DOMAIN_PAYK_DOWN_PAYMENT; /* before any loan step: fine */
    EXPECT(&loan, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, OK, NULL);
    /* disbursement: after the contract and the down payment, once */
    a.pay_kind = DOMAIN_PAYK_LOAN_DISBURSEMENT;
    EXPECT(&loan, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, STATE, NULL);
    loan.loan_at[DOMAIN_LOAN_DOCUMENTS] = loan.loan_at[DOMAIN_LOAN_BANK_APPROVED] = 1;
    EXPECT(&loan, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, STATE, NULL);
    loan.loan_at[DOMAIN_LOAN_CONTRACT_SIGNED] = 1;
    EXPECT(&loan, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, STATE, NULL); /* no down */
    loan.down_payment_fen = 500;
    EXPECT(&loan, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, OK, NULL);
    loan.loan_disbursed_fen = 100;
    EXPECT(&loan, C_FINANCE, DOMAIN_ORDER_PAYMENT_CONFIRM, &a, STATE, NULL);
}

static void test_invoice_and_loan_steps(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_PAID);
    s.invoice_issued = false;
    struct domain_order_args a = {0};
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_INVOICE_ISSUE, &a, BAD, "invoice_no");
    a.has_invoice_no = true;
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_INVOICE_ISSUE, &a, OK, NULL);
    s.invoice_issued = true;
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_INVOICE_ISSUE, &a, STATE, NULL);

    /* loan steps strictly in order, each once, loan orders only */
    s = fixture(DOMAIN_STAGE_APPROVED);
    a = (struct domain_order_args){.loan_step = DOMAIN_LOAN_BANK_APPROVED};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_LOAN_STEP, &a, BAD, "step");
    a.loan_step = DOMAIN_LOAN_CONTRACT_SIGNED;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_LOAN_STEP, &a, BAD, "step");
    for (int st = 0; st < DOMAIN_LOAN__COUNT; st++) {
        a.loan_step = (enum domain_loan_step)st;
        EXPECT(&s, C_OWN, DOMAIN_ORDER_LOAN_STEP, &a, OK, NULL);
        s.loan_at[st] = 10 + st;
        EXPECT(&s, C_OWN, DOMAIN_ORDER_LOAN_STEP, &a, BAD, "step");
    }
    a.loan_step = DOMAIN_LOAN__COUNT;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_LOAN_STEP, &a, BAD, "step");
    s = fixture(DOMAIN_STAGE_APPROVED);
    s.payment = DOMAIN_PAY_FULL;
    a.loan_step = DOMAIN_LOAN_DOCUMENTS;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_LOAN_STEP, &a, STATE, NULL);
}

/* Ready needs invoice + vin + all three prep steps + all money + nothing pending, then the
 * documents; each missing piece alone is refused. */
static void test_ready_rules(void **state)
{
    (void)state;
    struct domain_order_args a = {.documents_all = true};
    struct domain_order_state s = fixture(DOMAIN_STAGE_PAID);
    EXPECT(&s, C_OWN, DOMAIN_ORDER_READY, &a, OK, NULL);
    s.paid_fen = TOTAL - 1;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_READY, &a, STATE, NULL);
    s = fixture(DOMAIN_STAGE_PAID);
    s.invoice_issued = false;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_READY, &a, STATE, NULL);
    s = fixture(DOMAIN_STAGE_PAID);
    s.has_vin = false;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_READY, &a, STATE, NULL);
    for (int p = 0; p < DOMAIN_PREP__COUNT; p++) {
        s = fixture(DOMAIN_STAGE_PAID);
        s.prep_at[p] = 0;
        EXPECT(&s, C_OWN, DOMAIN_ORDER_READY, &a, STATE, NULL);
    }
    s = fixture(DOMAIN_STAGE_PAID);
    s.change_pending = true;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_READY, &a, STATE, NULL);
    s = fixture(DOMAIN_STAGE_PAID);
    s.cancel_pending = true;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_READY, &a, STATE, NULL);
    s = fixture(DOMAIN_STAGE_PAID);
    a.documents_all = false;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_READY, &a, BAD, "documents");
}

static void test_deliver_rules(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_READY);
    struct domain_order_args a = {.checklist_all = true};
    static const struct {
        int rating;
        enum proto_err code;
    } ratings[] = {{0, OK}, {1, OK}, {3, OK}, {5, OK}, {6, BAD}, {-1, BAD}, {100, BAD}};
    for (size_t i = 0; i < N(ratings); i++) {
        a.rating = ratings[i].rating;
        expect_at((int)i, &s, C_OWN, DOMAIN_ORDER_DELIVER, &a, ratings[i].code, "rating");
    }
    a.rating = 0;
    a.checklist_all = false;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_DELIVER, &a, BAD, "checklist");
    a.checklist_all = true;
    s.paid_fen = TOTAL - 1; /* never delivered before all money is in */
    EXPECT(&s, C_OWN, DOMAIN_ORDER_DELIVER, &a, STATE, NULL);
    s = fixture(DOMAIN_STAGE_READY);
    s.change_pending = true;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_DELIVER, &a, STATE, NULL);
    s = fixture(DOMAIN_STAGE_READY);
    s.cancel_pending = true;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_DELIVER, &a, STATE, NULL);
}

static void test_change_rules(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_ALLOCATED); /* 1,000,000 paid */
    struct domain_order_args a = {.has_reason = true};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, BAD, "changes"); /* nothing changed */
    a.change_fields = 1u << DOMAIN_OFIELD__COUNT;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, BAD, "changes");
    a.change_fields = DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_COLOUR);
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, OK, NULL);
    a.has_reason = false;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, BAD, "reason");
    a = (struct domain_order_args){.has_reason = true,
                                   .change_fields = DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_QUANTITY),
                                   .has_quantity = true,
                                   .quantity = 100};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, BAD, "changes.quantity");
    a = (struct domain_order_args){.has_reason = true,
                                   .change_fields = DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_UNIT_PRICE),
                                   .has_unit_price = true,
                                   .unit_price_fen = 999999};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, BAD, "changes.unit_price_fen");
    a.unit_price_fen = 1000000;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, OK, NULL);
    a = (struct domain_order_args){.has_reason = true,
                                   .change_fields = DOMAIN_OFIELD_BIT(DOMAIN_OFIELD_PAYMENT),
                                   .has_payment = true,
                                   .payment = DOMAIN_PAY_FULL};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, OK, NULL); /* deposit only */
    s.down_payment_fen = 1000000;
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CHANGE_REQUEST, &a, BAD, "changes.payment");

    /* reviews: the supervisor first; only a manager completes a manager change */
    s = fixture_pending(DOMAIN_STAGE_APPROVED, false);
    struct domain_order_args yes = {.pass = true}, no = {.pass = false};
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_CHANGE_REVIEW, &yes, STATE, NULL);
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_CHANGE_REVIEW, &yes, OK, NULL);
    s.change_supervisor_approved = true;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_CHANGE_REVIEW, &yes, FORB, NULL);
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_CHANGE_REVIEW, &no, OK, NULL);
    /* money arriving after the request: the final approval re-checks it; rejecting is
     * always possible */
    s.paid_fen = TOTAL;
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_CHANGE_REVIEW, &yes, STATE, NULL);
    EXPECT(&s, C_MANAGER, DOMAIN_ORDER_CHANGE_REVIEW, &no, OK, NULL);
    s = fixture_pending(DOMAIN_STAGE_APPROVED, false);
    s.change_needs_manager = false; /* the supervisor's approval is final */
    s.paid_fen = TOTAL;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_CHANGE_REVIEW, &yes, STATE, NULL);
    s.paid_fen = 0;
    s.change_payment = DOMAIN_PAY_FULL;
    s.down_payment_fen = 5;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_CHANGE_REVIEW, &yes, STATE, NULL);
    s.down_payment_fen = 0;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_CHANGE_REVIEW, &yes, OK, NULL);
}

static void test_cancel_and_refund_rules(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_PAID);
    struct domain_order_args a = {0};
    EXPECT(&s, C_OWN, DOMAIN_ORDER_CANCEL_REQUEST, &a, BAD, "reason");
    EXPECT(&s, C_OTHER, DOMAIN_ORDER_CANCEL_REQUEST, &a, FORB, NULL);
    a.has_reason = true;
    EXPECT(&s, C_SUPERVISOR, DOMAIN_ORDER_CANCEL_REQUEST, &a, OK, NULL);

    s = fixture(DOMAIN_STAGE_CANCELLED); /* 1,000,000 due */
    a = (struct domain_order_args){.amount_fen = 0};
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_REFUND_CONFIRM, &a, BAD, "amount_fen");
    a.amount_fen = 1000001;
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_REFUND_CONFIRM, &a, BAD, "amount_fen");
    a.amount_fen = 1000000;
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_REFUND_CONFIRM, &a, OK, NULL);
    s.refunded_fen = 400000;
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_REFUND_CONFIRM, &a, BAD, "amount_fen");
    a.amount_fen = 600000;
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_REFUND_CONFIRM, &a, OK, NULL);
    s.refunded_fen = 1000000;
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_REFUND_CONFIRM, &a, STATE, NULL);
    s.refunded_fen = 0;
    s.refund_due_fen = 0; /* cancelled before any money came in */
    EXPECT(&s, C_FINANCE, DOMAIN_ORDER_REFUND_CONFIRM, &a, STATE, NULL);
}

/* Bad calls from our own code are refused, never undefined. */
static void test_out_of_range(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_ENTERED);
    struct domain_actor a = {.staff_id = 1, .role = DOMAIN_ROLE_SUPERVISOR};
    struct proto_error err;
    assert_int_equal(domain_order_check(&s, &a, DOMAIN_ORDER__COUNT, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    assert_int_equal(domain_order_check(&s, &a, (enum domain_order_cmd) - 1, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    assert_int_equal(domain_order_check(NULL, &a, DOMAIN_ORDER_REVIEW, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    s.stage = DOMAIN_STAGE__COUNT;
    assert_int_equal(domain_order_check(&s, &a, DOMAIN_ORDER_GET, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_INTERNAL);
    s.stage = DOMAIN_STAGE_ENTERED;
    a.role = DOMAIN_ROLE__COUNT;
    assert_int_equal(domain_order_check(&s, &a, DOMAIN_ORDER_GET, NULL, &err), -1);
    assert_int_equal(err.code, PROTO_E_FORBIDDEN);
    assert_int_equal(domain_order_check(&s, NULL, DOMAIN_ORDER_GET, NULL, &err), -1);
    a.role = DOMAIN_ROLE_SERVICE;
    assert_int_equal(domain_order_check(NULL, &a, DOMAIN_ORDER_LIST, NULL, &err), 0);
    assert_int_equal(domain_order_check(&s, &a, DOMAIN_ORDER_GET, NULL, &err), 0);
    /* err may be NULL */
    assert_int_equal(domain_order_check(&s, &a, DOMAIN_ORDER_CLOSE, NULL, NULL), -1);
}

/* Messages say what is wrong in words a person can act on. */
static void test_messages(void **state)
{
    (void)state;
    struct domain_order_state s = fixture(DOMAIN_STAGE_ALLOCATED);
    struct domain_actor sup = actor_of(C_SUPERVISOR), fin = actor_of(C_FINANCE);
    struct domain_order_args a = good_args(DOMAIN_ORDER_REVIEW);
    struct proto_error err;
    assert_int_equal(domain_order_check(&s, &sup, DOMAIN_ORDER_REVIEW, &a, &err), -1);
    assert_string_equal(err.message,
                        "order is allocated (已配车): order_review needs an order that is entered");
    assert_int_equal(domain_order_check(&s, &fin, DOMAIN_ORDER_REVIEW, &a, &err), -1);
    assert_string_equal(err.message, "order_review needs the supervisor role, not finance");
    assert_int_equal(domain_order_check(&s, &fin, DOMAIN_ORDER_CLOSE, &a, &err), -1);
    assert_string_equal(err.message, "order_close needs the manager or admin role, not finance");
    assert_int_equal(domain_order_check(&s, &fin, DOMAIN_ORDER_CANCEL_REQUEST, &a, &err), -1);
    assert_string_equal(
        err.message, "order_cancel_request needs the consultant or supervisor role, not finance");
    struct domain_order_args pay = {.amount_fen = TOTAL, .pay_kind = DOMAIN_PAYK_BALANCE};
    assert_int_equal(domain_order_check(&s, &fin, DOMAIN_ORDER_PAYMENT_CONFIRM, &pay, &err), -1);
    assert_string_equal(err.field, "amount_fen");
    assert_string_equal(err.message, "amount_fen: more than the 29000000 fen still due");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_base),
        cmocka_unit_test(test_matrix_pending_at_supervisor),
        cmocka_unit_test(test_matrix_pending_at_manager),
        cmocka_unit_test(test_create_args),
        cmocka_unit_test(test_review_args),
        cmocka_unit_test(test_approve_args),
        cmocka_unit_test(test_edit_args),
        cmocka_unit_test(test_allocation_rules),
        cmocka_unit_test(test_eta_rules),
        cmocka_unit_test(test_payment_rules),
        cmocka_unit_test(test_invoice_and_loan_steps),
        cmocka_unit_test(test_ready_rules),
        cmocka_unit_test(test_deliver_rules),
        cmocka_unit_test(test_change_rules),
        cmocka_unit_test(test_cancel_and_refund_rules),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
