"""
The sources table of the post form: "Look up" fills a source from its DOI or PubMed ID
(static/blog/admin/reference_lookup.js asks reference_lookup() below), and without JavaScript a
source saved with a DOI or PMID but no title is filled on save. A failed lookup never stops a
save: the source keeps what the editor typed and the editor gets a message.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import references_lookup
from .models import Reference, normalize_pmid, validate_pmid

# Filled from a lookup when empty; a source saved with a new identifier and any of these empty
# is looked up again on save.
PASTED_LENGTH = 200
LOOKED_UP_FIELDS = ["title", "authors", "publisher", "year", "url", "doi", "pmid"]


class ReferenceForm(forms.ModelForm):
    # Declared so a pasted "www.…" gets https://, as the inline's other URL fields do.
    url = forms.URLField(
        label="URL",
        max_length=Reference._meta.get_field("url").max_length,
        required=False,
        assume_scheme="https",
        help_text=Reference._meta.get_field("url").help_text,
        widget=forms.URLInput(attrs={"size": 12}),
    )

    class Meta:
        model = Reference
        fields = ["position", "title", "authors", "publisher", "year", "url", "doi", "pmid"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A DOI or PMID alone is enough: the title is then looked up on save.
        self.fields["title"].required = False
        # Room for "PMID: 29573870" or a pubmed address as pasted; stored as the bare number.
        pmid = self.fields["pmid"]
        pmid.max_length, pmid.widget.attrs["maxlength"] = PASTED_LENGTH, str(PASTED_LENGTH)
        pmid.validators = [v for v in pmid.validators if not isinstance(v, MaxLengthValidator)]
        self.lookup_problem = ""

    def clean_pmid(self):
        pmid = normalize_pmid(self.cleaned_data["pmid"])
        if pmid:
            validate_pmid(pmid)
        return pmid

    def clean(self):
        data = super().clean()
        identifier = data.get("doi") or data.get("pmid")
        if not data.get("title") and not identifier:
            if not self.has_error("doi") and not self.has_error("pmid"):
                self.add_error("title", "Give the title, or a DOI or PMID to look it up.")
            return data
        new_identifier = {"doi", "pmid"} & set(self.changed_data)
        missing = [name for name in LOOKED_UP_FIELDS if not data.get(name)]
        if identifier and (not data.get("title") or (new_identifier and missing)):
            self._fill_from_lookup(data, identifier)
        return data

    def _fill_from_lookup(self, data, identifier):
        try:
            details = references_lookup.look_up(identifier)
        except references_lookup.LookupFailed as failure:
            self.lookup_problem = str(failure)
            if not data.get("title"):
                data["title"] = f"DOI {identifier}" if data.get("doi") else f"PMID {identifier}"
            return
        for name, value in details.as_dict().items():
            if value and not data.get(name):
                data[name] = value


@require_GET
def reference_lookup(request):
    """JSON for the "Look up" button: the source's details, or a message saying why not."""
    try:
        details = references_lookup.look_up(request.GET.get("id", "")[:300])
    except references_lookup.LookupFailed as failure:
        return JsonResponse({"ok": False, "message": str(failure)}, status=failure.status)
    return JsonResponse({"ok": True, "source": details.as_dict()})
