from django.db import migrations

# Starter groups of 0002 that gain variants, when editors have not changed them since.
EXTENDED = {
    "slipped disc": [
        "slipped disc", "herniated disc", "bulging disc", "prolapsed disc", "disc herniation",
        "slipped disk", "herniated disk", "bulging disk", "prolapsed disk", "disk herniation",
        "disc bulge", "disk bulge", "ruptured disc", "ruptured disk",
    ],
    "lower back": ["lower back", "lumbar", "low back", "lumbago"],
    "crick in the neck": [
        "crick in the neck", "stiff neck", "torticollis", "wry neck", "cricked neck",
        "neck stiffness",
    ],
    "painkiller": [
        "painkiller", "analgesic", "pain relief medication", "pain medication", "pain medicine",
    ],
    "desk job": ["desk job", "office work", "desk work", "sitting all day", "office job"],
}  # fmt: skip

# British and American spellings and words, lay words and the clinical ones articles use.
# Long phrases of common words ("nerve pain down the leg", "back pain") are left out: each
# made every search containing it phrase-strict and slow (PostgreSQL rechecks the documents
# of a phrase with gaps: "sciatica" took 80 ms instead of 40 at 20,000 posts), and the plain
# words find the same articles.
NEW_GROUPS = [
    ["disc", "disk"],
    ["tech neck", "text neck", "phone neck", "head forward", "forward head posture"],
    ["arm pain", "brachialgia"],
    ["put my back out", "threw my back out", "back went", "back goes", "acute back pain",
     "acute low back pain"],
    ["bad back", "backache", "sore back", "aching back"],
    ["paracetamol", "acetaminophen", "tylenol"],
    ["anti-inflammatory", "nsaid", "ibuprofen", "naproxen"],
    ["gp", "family doctor", "primary care doctor", "general practitioner"],
    ["emergency department", "emergency room", "accident and emergency"],
    ["pharmacist", "chemist", "drugstore"],
    ["heat pack", "heating pad", "heat pad", "hot water bottle", "wheat bag", "heat wrap"],
    ["ice pack", "cold pack", "cold compress", "frozen peas"],
    ["standing desk", "sit-stand desk", "stand-up desk", "standing workstation"],
    ["monitor", "screen", "display"],
    ["office chair", "desk chair", "computer chair"],
    ["desk setup", "desk set-up", "workstation", "workspace", "ergonomics", "ergonomic"],
    ["insomnia", "trouble sleeping", "poor sleep", "sleeplessness"],
    ["slouching", "slouch", "slumped", "slumping"],
    ["tumour", "tumor"],
    ["programme", "program"],
    ["orthopaedic", "orthopedic"],
    ["mobilisation", "mobilization"],
    ["stabilisation", "stabilization"],
    ["centre", "center"],
    ["ageing", "aging", "age-related"],
    ["core", "abs", "abdominals", "stomach muscles", "tummy muscles"],
    ["osteopath", "osteopathy", "osteopathic"],
    ["chiropractor", "chiropractic", "chiro"],
    ["doctor", "physician"],
    ["mri", "mri scan", "magnetic resonance imaging"],
    ["cauda equina", "cauda equina syndrome"],
    ["meditation", "mindfulness"],
    ["workout", "exercise routine", "exercise programme", "exercise program"],
]  # fmt: skip


def _text(phrases):
    return "\n".join(phrases)


def forwards(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    starter = {group[0]: group for group in _starter_groups()}
    for first, phrases in EXTENDED.items():
        Synonym.objects.filter(phrases=_text(starter[first])).update(phrases=_text(phrases))
    Synonym.objects.bulk_create(Synonym(phrases=_text(group)) for group in NEW_GROUPS)


def backwards(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    starter = {group[0]: group for group in _starter_groups()}
    for first, phrases in EXTENDED.items():
        Synonym.objects.filter(phrases=_text(phrases)).update(phrases=_text(starter[first]))
    Synonym.objects.filter(phrases__in=[_text(group) for group in NEW_GROUPS]).delete()


def _starter_groups():
    from importlib import import_module

    return import_module("search.migrations.0002_starter_synonyms").STARTER_SYNONYMS


class Migration(migrations.Migration):
    dependencies = [("search", "0009_daily_search_fallback")]

    operations = [migrations.RunPython(forwards, backwards)]
