from django import template

from pagecache import pages as caching

register = template.Library()


@register.tag
def per_generation(parser, token):
    """
    Render the enclosed part of a template once per page cache generation in each process,
    separately for each combination of the values given, then reuse it:

        {% per_generation "site_header" request.resolver_match.url_name %}…{% end_per_generation %}

    For parts every page shows that only content changes change, such as the header. The
    values must name everything the part depends on besides the site's content.
    """
    vary_on = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not vary_on:
        raise template.TemplateSyntaxError("per_generation needs at least a name for the part.")
    nodelist = parser.parse(("end_per_generation",))
    parser.delete_first_token()
    return PerGenerationNode(nodelist, vary_on)


class PerGenerationNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context):
        key = ("fragment", *(value.resolve(context) for value in self.vary_on))
        return caching.derived(key, lambda: self.nodelist.render(context))
