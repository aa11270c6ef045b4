from django.db import migrations

# Lay words readers type, next to the clinical words articles use.
STARTER_SYNONYMS = [
    ["slipped disc", "herniated disc", "bulging disc", "prolapsed disc", "disc herniation"],
    ["trapped nerve", "pinched nerve", "radiculopathy", "compressed nerve"],
    ["lower back", "lumbar", "low back"],
    ["upper back", "thoracic"],
    ["neck", "cervical"],
    ["crick in the neck", "stiff neck", "torticollis", "wry neck"],
    ["sciatica", "sciatic nerve pain", "sciatic pain"],
    ["tailbone", "coccyx", "coccydynia"],
    ["shoulder blade", "scapula"],
    ["wear and tear", "osteoarthritis", "spondylosis", "degeneration"],
    ["physio", "physiotherapy", "physical therapy", "physiotherapist", "physical therapist"],
    ["painkiller", "analgesic", "pain relief medication"],
    ["pins and needles", "tingling", "paresthesia"],
    ["back spasm", "muscle spasm"],
    ["whiplash", "neck sprain"],
    ["hunchback", "kyphosis", "rounded back"],
    ["curved spine", "scoliosis"],
    ["desk job", "office work", "desk work", "sitting all day"],
]


def add_starter_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.bulk_create(Synonym(phrases="\n".join(group)) for group in STARTER_SYNONYMS)


def remove_starter_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(phrases__in=["\n".join(group) for group in STARTER_SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(add_starter_synonyms, remove_starter_synonyms)]
