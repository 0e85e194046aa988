"""Query expressions the apps share."""

from django.db.models import BooleanField, Func


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
