from django.db.models import Expression


class TableSQL(Expression):
    """
    Raw SQL about a queryset's rows in which "{table}" becomes the alias the query gives the
    table (its main table unless another is named). Aliases differ from table names when the
    queryset is a subquery, so plain RawSQL naming the table would break there.
    """

    def __init__(self, sql, params, output_field, table=None):
        super().__init__(output_field=output_field)
        self.sql, self.params, self.table = sql, tuple(params), table

    def __repr__(self):
        return f"{self.__class__.__name__}({self.sql!r}, {self.params!r})"

    def as_sql(self, compiler, connection):
        query = compiler.query
        if self.table is None:
            alias = query.get_initial_alias()
        else:
            alias = next(a for a, join in query.alias_map.items() if join.table_name == self.table)
        return self.sql.replace("{table}", compiler.quote_name_unless_alias(alias)), [*self.params]
