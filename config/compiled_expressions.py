"""Expressions compiled once per process and written again with new values.

``TaskQuerySet.with_state`` annotates five large expressions (where a task stands on a day, the date
it is judged against …). Resolving and compiling them took half of the plan report's time on the
68-task demo and most of the overview's, whatever the data (issue 16), every time a page used them.
Their SQL depends on the query compiling them only through the aliases of the model's table and of
the tables they join, and the query's alias prefix (which the aliases of their subqueries follow);
it depends on the values (a day) only through parameters.

:class:`CompiledOnce` resolves only those joins in the real query. When first compiled for a set of
aliases, it builds the expression in a stand-in query with the same aliases, twice with stand-in
values (:func:`config.compiled_queries.stand_ins`), and keeps the SQL with where each value goes;
later compilations with the same aliases write the kept SQL with the real values. When the two
builds differ but in the values (or building read the database), the expression is built each time
with the real values: the same SQL, more slowly. As for whole queries, the values must only be put
into the expression, never decide how it is built.
"""

import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db.models import Expression

from config.compiled_queries import QueryRead, no_reads, stand_ins, value_slots

_CACHE_SIZE = 512

_compiled = OrderedDict()
_lock = threading.Lock()


class CompiledOnce(Expression):
    """The annotation ``name`` of ``build(queryset, **values)`` (``queryset``: the model's default
    manager's), compiled once per process for each place it takes in a query.

    ``shape`` names the build with everything but the values it depends on; ``joins`` are the paths
    of the related fields the expression reads (``"plan__awaiting_counts_as_done"``): they are joined
    in the real query, where the expression's SQL expects them."""

    def __init__(self, shape, name, build, values, output_field, joins=()):
        super().__init__(output_field=output_field)
        self.shape, self.name, self.build, self.values = tuple(shape), name, build, dict(values)
        self.joins = tuple(joins)
        self.columns = []  # once resolved: the model's primary key, then each join's field

    def __repr__(self):
        return f"{type(self).__name__}({self.shape!r}, {self.name!r}, {self.values!r})"

    @property
    def identity(self):
        return (type(self), self.shape, self.name, tuple(sorted(self.values.items())), self.joins,
                tuple(getattr(column, "alias", None) for column in self.columns))

    def __eq__(self, other):
        return isinstance(other, CompiledOnce) and other.identity == self.identity

    def __hash__(self):
        return hash(self.identity)

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        if self.columns:  # a subquery's annotations are resolved again in the query around it
            return super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        clone = self.copy()
        clone.is_summary = summarize
        paths = ("pk", *self.joins)
        clone.columns = [query.resolve_ref(path, allow_joins, reuse, summarize) for path in paths]
        return clone

    def as_sql(self, compiler, connection):
        aliases = tuple(column.alias for column in self.columns)
        key = (self.shape, self.name, connection.vendor, compiler.query.alias_prefix, aliases)
        with _lock:
            compiled = _compiled.get(key)
            if compiled is not None:
                _compiled.move_to_end(key)
        if compiled is None:
            compiled = self._compile(compiler, connection)
            with _lock:
                _compiled[key] = compiled
                while len(_compiled) > _CACHE_SIZE:
                    _compiled.popitem(last=False)
        if compiled is False:
            return self._built(self.values, compiler, connection)
        sql, params, slots = compiled
        return sql, tuple(slots[i][1](self.values) if i in slots else p for i, p in enumerate(params))

    def _compile(self, compiler, connection):
        first, second = stand_ins(self.values), stand_ins(self.values, second=True)
        try:
            with no_reads():
                sql_a, params_a = self._built(first, compiler, connection)
                sql_b, params_b = self._built(second, compiler, connection)
        except (QueryRead, EmptyResultSet):
            return False
        slots = value_slots(params_a, params_b, first, second) if sql_a == sql_b else None
        if slots is None or {name for name, _make in slots.values()} != set(self.values):
            return False
        return sql_a, tuple(params_a), slots

    def _built(self, values, compiler, connection):
        """The expression built with ``values`` in a query whose aliases are those of the query
        being compiled, compiled there."""
        queryset = self.columns[0].target.model._default_manager.all()
        query = queryset.query
        query.alias_prefix = compiler.query.alias_prefix
        stand_in_columns = [query.resolve_ref(path) for path in ("pk", *self.joins)]
        query.change_aliases({
            stand_in.alias: real.alias
            for stand_in, real in zip(stand_in_columns, self.columns, strict=True)
            if stand_in.alias != real.alias
        })
        built = self.build(queryset, **values).query
        return built.get_compiler(connection=connection).compile(built.annotations[self.name])
