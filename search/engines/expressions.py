from django.db.models import Expression


class TableSQL(Expression):
    """
    Raw SQL about the queryset's own rows: "{table}" becomes the alias the query gives its main
    table, which is not the table name when the queryset is used as a subquery.
    """

    def __init__(self, sql, params, output_field):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, tuple(params)

    def __repr__(self):
        return f"{self.__class__.__name__}({self.sql!r}, {self.params!r})"

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.sql.replace("{table}", table), list(self.params)
