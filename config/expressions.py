"""Query expressions the apps share."""

from django.db.models import BooleanField, Exists, Func


class AnyOf(Func):
    """``expression IN (subquery)``, written ``expression = ANY(ARRAY(subquery))`` on PostgreSQL:
    an InitPlan run once before the scan. PostgreSQL turns ``IN (SELECT …)`` into a semi-join that
    it may plan after a costly condition of the same query, such as a task's state on a day (issue
    16: the overdue task list of one province at 100,000 tasks judged every task of the country
    before keeping its province's: 0.47 s against 0.05 s)."""

    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection, template="%s IN %s"):
        (lhs, lhs_params), (rhs, rhs_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return template % (lhs, rhs), (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="%s = ANY(ARRAY%s)")


class PerRowExists(Exists):
    """``EXISTS (subquery)`` that PostgreSQL runs for each row, by the subquery's index, instead of
    an anti- or semi-join over every row the subquery could match. An ``OFFSET 0`` keeps PostgreSQL
    from pulling the sublink up into a join (``simplify_EXISTS_query`` leaves a query with an offset
    alone). For a test that concerns few rows against a costly subquery: the late-agency panel's
    "an earlier lead of the same task answered by the same agency" hashed every lead assignment of
    the country with its answering agency (890 ms at 1,000,000 tasks) to probe 29,412 (issue 16)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)  # "[NOT ]EXISTS(… LIMIT 1)"
        return f"{sql[:-1]} OFFSET 0)", params
