"""
Demo content for `manage.py seed_demo`: categories, writers, articles and static pages.

Plain data, no Django imports, so it can be read, reviewed and edited like copy. Bodies are the
HTML an editor would write in the admin; Post.save() sanitises them on the way in.
"""

# Paragraphs stay on one line each, as an editor would store them, so long lines are expected.
# ruff: noqa: E501

CATEGORIES = [
    {
        "name": "Lower Back Pain",
        "slug": "lower-back-pain",
        "needs_care_advice": True,
        "description": "Why the lower back hurts, from everyday strains to sciatica and disc problems, and what helps it recover.",
        "position": 1,
    },
    {
        "name": "Neck Pain",
        "slug": "neck-pain",
        "needs_care_advice": True,
        "description": "Stiff necks, trapped nerves and screen-time aches: what causes neck pain and how to ease it.",
        "position": 2,
    },
    {
        "name": "Exercises & Stretches",
        "slug": "exercises-and-stretches",
        "description": "Gentle, step-by-step movements to loosen a stiff back and neck and build strength that lasts.",
        "position": 3,
    },
    {
        "name": "Posture & Ergonomics",
        "slug": "posture-and-ergonomics",
        "description": "Practical changes to how you sit, stand, lift and set up your desk, without chasing a perfect posture.",
        "position": 4,
    },
    {
        "name": "Stress & Sleep",
        "slug": "stress-and-sleep",
        "description": "How stress, tension and poor sleep feed pain, and calming techniques that help break the cycle.",
        "position": 5,
    },
    {
        "name": "Treatments",
        "slug": "treatments",
        "description": "An honest look at self-care, medicines and professional treatments, and when to see a clinician.",
        "position": 6,
    },
]

AUTHORS = [
    {
        "username": "maya.hughes",
        "first_name": "Maya",
        "last_name": "Hughes",
        "email": "maya.hughes@example.com",
        "slug": "maya-hughes",
        "credentials": "",
        "bio": "Maya is a health writer who has covered pain, sleep and mental health for ten years. She lived with recurring low back pain through her twenties and writes the articles she wishes she had read then: practical, calm and honest about what the evidence does and does not show.",
    },
    {
        "username": "daniel.okafor",
        "first_name": "Daniel",
        "last_name": "Okafor",
        "email": "daniel.okafor@example.com",
        "slug": "daniel-okafor",
        "credentials": "",
        "bio": "Daniel is a science journalist and a qualified yoga teacher. He writes about nerve pain, sleep and everyday habits, and spends a lot of time reading clinical guidelines so that readers don't have to.",
    },
    {
        "username": "priya.raman",
        "first_name": "Priya",
        "last_name": "Raman",
        "email": "priya.raman@example.com",
        "slug": "priya-raman",
        "credentials": "MSc",
        "bio": "Priya trained as a physiotherapist and now writes full time. She specialises in exercise, neck problems and the small changes to a working day that make a back and neck feel better.",
    },
]

# Fictional clinicians for the demo; real reviewers are added in the admin.
REVIEWERS = [
    {
        "name": "Dr Hannah Cole",
        "slug": "hannah-cole",
        "credentials": "PT, DPT",
        "bio": "Hannah is a physical therapist with fifteen years of clinical work in musculoskeletal outpatient care. She treats people with persistent back and neck pain and teaches exercise-based rehabilitation to physiotherapy students.",
    },
    {
        "name": "Dr Samuel Adeyemi",
        "slug": "samuel-adeyemi",
        "credentials": "MBBS, MRCGP",
        "bio": "Samuel is a general practitioner with a special interest in musculoskeletal medicine. He sees back and neck pain every week in his practice and reviews our articles on symptoms, medicines and when to seek care.",
    },
]

# Real, published sources that the demo articles list under "Sources".
SOURCES = {
    "cherkin-2016": {
        "title": "Effect of Mindfulness-Based Stress Reduction vs Cognitive Behavioral Therapy or Usual Care on Back Pain and Functional Limitations in Adults With Chronic Low Back Pain: A Randomized Clinical Trial",
        "publisher": "JAMA",
        "year": 2016,
        "doi": "10.1001/jama.2016.2323",
    },
    "acp-2017": {
        "title": "Noninvasive Treatments for Acute, Subacute, and Chronic Low Back Pain: A Clinical Practice Guideline From the American College of Physicians",
        "publisher": "Annals of Internal Medicine",
        "year": 2017,
        "doi": "10.7326/M16-2367",
    },
    "cochrane-yoga-2017": {
        "title": "Yoga treatment for chronic non-specific low back pain",
        "publisher": "Cochrane Database of Systematic Reviews",
        "year": 2017,
        "doi": "10.1002/14651858.CD010671.pub2",
    },
    "cochrane-exercise-2021": {
        "title": "Exercise therapy for chronic low back pain",
        "publisher": "Cochrane Database of Systematic Reviews",
        "year": 2021,
        "doi": "10.1002/14651858.CD009790.pub2",
    },
    "cochrane-heat-2006": {
        "title": "Superficial heat or cold for low back pain",
        "publisher": "Cochrane Database of Systematic Reviews",
        "year": 2006,
        "doi": "10.1002/14651858.CD004750.pub2",
    },
    "nice-ng59": {
        "title": "Low back pain and sciatica in over 16s: assessment and management (NG59)",
        "publisher": "National Institute for Health and Care Excellence",
        "year": 2016,
        "url": "https://www.nice.org.uk/guidance/ng59",
    },
    "ropper-2015": {
        "title": "Sciatica",
        "publisher": "New England Journal of Medicine",
        "year": 2015,
        "doi": "10.1056/NEJMra1410151",
    },
    "brinjikji-2015": {
        "title": "Systematic literature review of imaging features of spinal degeneration in asymptomatic populations",
        "publisher": "American Journal of Neuroradiology",
        "year": 2015,
        "doi": "10.3174/ajnr.A4173",
    },
    "foster-2018": {
        "title": "Prevention and treatment of low back pain: evidence, challenges, and promising directions",
        "publisher": "The Lancet",
        "year": 2018,
        "doi": "10.1016/S0140-6736(18)30489-6",
    },
    "cohen-2015": {
        "title": "Epidemiology, diagnosis, and treatment of neck pain",
        "publisher": "Mayo Clinic Proceedings",
        "year": 2015,
        "doi": "10.1016/j.mayocp.2014.09.008",
    },
    "nhs-back-pain": {
        "title": "Back pain",
        "publisher": "NHS",
        "url": "https://www.nhs.uk/conditions/back-pain/",
    },
    "nhs-neck-pain": {
        "title": "Neck pain",
        "publisher": "NHS",
        "url": "https://www.nhs.uk/conditions/neck-pain/",
    },
    "nhs-sciatica": {
        "title": "Sciatica",
        "publisher": "NHS",
        "url": "https://www.nhs.uk/conditions/sciatica/",
    },
    "nhs-slipped-disc": {
        "title": "Slipped disc",
        "publisher": "NHS",
        "url": "https://www.nhs.uk/conditions/slipped-disc/",
    },
    "hse-dse": {
        "title": "Working safely with display screen equipment",
        "publisher": "Health and Safety Executive",
        "url": "https://www.hse.gov.uk/msd/dse/",
    },
    "hse-manual-handling": {
        "title": "Manual handling at work",
        "publisher": "Health and Safety Executive",
        "url": "https://www.hse.gov.uk/msd/manual-handling/",
    },
}

ARTICLES = [
    {
        "title": "Stress Management Techniques for Soothing Back Pain",
        "slug": "stress-management-techniques-for-soothing-back-pain",
        "category": "stress-and-sleep",
        "tags": ["stress relief", "relaxation", "mindfulness", "back pain"],
        "excerpt": "Stress and back pain feed each other. Five calming techniques, from mindfulness to gentle yoga, can help you break the cycle.",
        "author": "maya.hughes",
        "days_ago": 4,
        "featured": True,
        "image_alt": "Illustration: rings spreading out like a slow breath, drawn in white over a soft gradient",
        "motif": "breath",
        "palette": ("#2a9d8f", "#e9f5db"),
        "body": """<p>Stress and back pain feed each other. When you are anxious or overloaded, your muscles brace, your breathing becomes shallow and your sleep suffers, and all three can make an aching back feel worse. Pain, in turn, is stressful. The good news is that the loop can be interrupted from either side, and calming the nervous system is something you can practise at home, for free, in a few minutes a day.</p>
<p>Research on chronic low back pain supports mind–body approaches such as mindfulness and yoga as useful parts of care [1]. They don't replace a medical assessment, but they give you a way to turn down the volume of pain and feel more in control. Here are five techniques worth trying. Pick one or two and practise them regularly rather than trying everything at once.</p>
<h2>Mindfulness Meditation</h2>
<p>Mindfulness means paying attention to what is happening right now, including sensations in your body, without judging them or trying to fight them. That may sound odd when the sensation is pain, but trials of mindfulness-based stress reduction have found that it can reduce how much pain bothers people and how much it gets in the way of daily life [2].</p>
<p>To start, sit or lie comfortably and set a timer for five minutes. Notice the breath moving in and out. When your mind wanders, as it will, gently bring it back. If you notice pain, try describing the sensation to yourself (“tight”, “warm”, “throbbing”) rather than the story around it (“this will never get better”). Over time this helps to separate the physical sensation from the worry it triggers.</p>
<h2>Progressive Muscle Relaxation</h2>
<p>Many people with back pain hold tension without realising it: in the jaw, the shoulders, the buttocks. Progressive muscle relaxation teaches you to feel the difference between tense and relaxed muscles by working through the body one group at a time.</p>
<ol>
<li>Lie on your back with a pillow under your knees.</li>
<li>Starting with your feet, tighten the muscles gently for about five seconds, at roughly half your maximum effort.</li>
<li>Let go, and notice the feeling of release for 10 to 15 seconds.</li>
<li>Work upwards through the calves, thighs, buttocks, hands, arms, shoulders and face.</li>
</ol>
<p>Skip or go very lightly on any area that is acutely painful. The aim is release, not effort.</p>
<h2>Deep Breathing</h2>
<p>When we are stressed we tend to breathe quickly into the upper chest, which recruits neck and shoulder muscles that are already overworked. Slow breathing from the diaphragm does the opposite, and it is one of the quickest ways to calm the body's stress response.</p>
<p>Place one hand on your chest and one on your belly. Breathe in through your nose for a count of four, letting your belly rise while your chest stays fairly still. Breathe out slowly for a count of six. The longer out-breath is what does the calming. Try five to ten breaths whenever you notice yourself bracing: before getting out of the car, say, or after a long meeting.</p>
<h2>Guided Imagery</h2>
<p>Guided imagery uses your imagination to create a sense of safety and ease. You might picture a place where you feel relaxed, such as a beach, a forest or a favourite room, and fill in the details: the sounds, the temperature, the smells. Some people like to imagine warmth spreading through a tight area, or tension flowing out with each breath.</p>
<p>Free audio recordings make this easier at first. It is particularly useful at bedtime, when pain and worry often seem loudest and a calmer mind can help you fall asleep.</p>
<h2>Yoga and Gentle Stretching</h2>
<p>Yoga combines movement, breathing and focused attention, so it works on stress and stiffness at the same time. Clinical trials have found that yoga classes designed for back pain can help about as much as physiotherapy exercise for chronic low back pain [3].</p>
<p>Start with gentle poses such as child's pose, cat–cow and knees to chest, moving slowly and staying within a comfortable range. A beginners' class, or one aimed at people with back pain, is a good idea; tell the teacher about your back. If you would rather stay at home, try our <a href="/gentle-morning-routine-for-a-stiff-lower-back/">gentle morning routine for a stiff lower back</a>.</p>
<h2>Making It a Habit</h2>
<p>Consistency matters more than duration: ten minutes on most days will do more than an hour once a week. Many people combine a few minutes of deep breathing during the day with progressive muscle relaxation or guided imagery at night. Good sleep helps too; see <a href="/sleeping-positions-for-back-and-neck-pain/">our guide to sleeping positions</a>.</p>
<blockquote><p>Stress relief is not a sign that the pain is “all in your head”. It is a way of turning down a real, physical alarm system.</p></blockquote>
<p>If your pain follows an injury, keeps getting worse, or comes with numbness, weakness, fever, or changes in bladder or bowel control, see a doctor promptly [4]. And if stress or low mood feels overwhelming, talking to your GP or a psychologist is a sensible, practical step.</p>""",
    },
    {
        "title": "Sciatica: Causes, Symptoms and What Actually Helps",
        "slug": "sciatica-causes-symptoms-and-what-helps",
        "category": "lower-back-pain",
        "tags": ["sciatica", "radiculopathy", "trapped nerve", "lumbar"],
        "excerpt": "Sciatica is leg pain from an irritated nerve in the lower back. Most of it settles within weeks; here is what helps and which signs need urgent care.",
        "author": "daniel.okafor",
        "days_ago": 9,
        "featured": False,
        "image_alt": "Illustration: a curving column of vertebrae, like a spine seen from the side, drawn in white over a soft gradient",
        "motif": "spine",
        "palette": ("#3d5a80", "#e0fbfc"),
        "body": """<p>Sciatica is one of the most talked-about kinds of back pain, and one of the most misunderstood. It isn't a diagnosis in itself but a description: pain that travels along the path of the sciatic nerve, from the lower back or buttock down the back of the leg, sometimes as far as the foot.</p>
<h2>What Is Going On?</h2>
<p>The sciatic nerve is formed from several nerve roots that leave the spine in the lumbar (lower back) and sacral regions. When one of these roots is irritated or compressed, pain is felt along the nerve's path. Clinicians call this <strong>lumbar radiculopathy</strong>; most people call it a trapped nerve or a pinched nerve.</p>
<p>By far the most common cause is a <a href="/herniated-disc-what-a-slipped-disc-really-means/">herniated disc</a>, where some of the soft inner material of a spinal disc pushes out and presses on or inflames a nearby nerve root. Less often, narrowing of the spinal canal (spinal stenosis), a vertebra slipping forward on the one below (spondylolisthesis) or, rarely, an infection or tumour is responsible.</p>
<h2>Typical Symptoms</h2>
<ul>
<li>Pain in the buttock and leg that is often worse than the back pain itself</li>
<li>Burning, shooting or electric-shock sensations down the leg</li>
<li>Pins and needles or numbness in part of the leg or foot</li>
<li>Pain that flares with coughing, sneezing or long periods of sitting</li>
<li>Usually one leg only</li>
</ul>
<p>Pain in the back of the thigh that stops at the knee is often “referred” pain from the joints and muscles of the back rather than true nerve pain. It is still real pain, but it tends to settle faster.</p>
<h2>The Good News</h2>
<p>Most sciatica gets better on its own. The majority of people improve considerably within four to six weeks, and many within days. Herniated disc material can shrink back and nerve irritation can calm down without any procedure. Knowing this matters, because fear of the pain can lead people to stop moving, which tends to slow recovery.</p>
<h2>What Helps</h2>
<h3>Keep moving, gently</h3>
<p>Bed rest is no longer recommended. Short, frequent walks and regular changes of position are better than staying still. You don't need to push through severe pain, but aim to keep up as much of your normal routine as you reasonably can.</p>
<h3>Find positions of relief</h3>
<p>Many people find that lying on their back with their calves resting on a chair seat, hips and knees bent at right angles, takes the pressure off. Others prefer lying on one side with a pillow between the knees. Experiment, and use these positions for breaks rather than all day.</p>
<h3>Pain relief</h3>
<p>Anti-inflammatory medicines such as ibuprofen help some people in the short term, although the evidence for sciatica is modest. A pharmacist can advise on what is safe for you, especially if you have stomach, kidney or heart problems or take other medicines. Heat on the lower back and buttock can ease the muscle spasm that often comes with sciatica.</p>
<h3>Exercise and physiotherapy</h3>
<p>If symptoms persist beyond a few weeks, a physiotherapist can assess you and suggest specific exercises. Nerve-gliding exercises, gentle bending movements and general strengthening are often used, chosen according to what eases your symptoms.</p>
<h2>When It Needs More</h2>
<p>If severe leg pain continues for more than six to eight weeks despite good non-surgical care, your doctor may discuss an MRI scan, a spinal injection or, for a small number of people, surgery to relieve pressure on the nerve. Surgery can speed up relief of leg pain, but results after a year or two are often similar with or without it, so it is a personal decision made with a specialist.</p>
<p>Very rarely, the nerves at the base of the spine are squeezed so hard that they stop working: cauda equina syndrome, an emergency that needs surgery within hours. Its signs are in the emergency card below.</p>""",
    },
    {
        "title": "Herniated Disc: What a “Slipped Disc” Really Means",
        "slug": "herniated-disc-what-a-slipped-disc-really-means",
        "category": "lower-back-pain",
        "tags": ["herniated disc", "slipped disc", "lumbar", "sciatica"],
        "excerpt": "Discs can't actually slip. Here is what a herniated disc is, why scans can mislead, and why most people recover without surgery.",
        "author": "priya.raman",
        "days_ago": 16,
        "featured": False,
        "image_alt": "Illustration: a curving column of vertebrae, like a spine seen from the side, drawn in white over a soft gradient",
        "motif": "spine",
        "palette": ("#6d597a", "#f2e9e4"),
        "body": """<p>Few phrases sound as alarming as “slipped disc”. It conjures an image of something knocked out of place that needs pushing back in. The reality is both less dramatic and more hopeful. Here is what is actually happening, and why most people recover well.</p>
<h2>What Is a Spinal Disc?</h2>
<p>Between each pair of vertebrae in your spine sits an intervertebral disc. Each disc has a tough, layered outer ring (the annulus fibrosus) and a softer, gel-like centre (the nucleus pulposus). Discs act as spacers and shock absorbers and let the spine bend and twist. They are firmly attached to the bones above and below, so they can't actually slip out of place.</p>
<h2>Bulge, Herniation, Slip: Same Thing?</h2>
<p>“Slipped disc” is a lay term. What clinicians usually mean is a <strong>disc herniation</strong>, also called a prolapsed disc: some of the inner material pushes through a weak point in the outer ring. A <strong>disc bulge</strong> is a broader, shallower spreading of the disc beyond its normal edges, and it becomes very common with age.</p>
<p>Herniations are most common in the lumbar spine (the lower back), particularly at the two lowest levels, known as L4–L5 and L5–S1. They also happen in the cervical spine (the neck), where they can cause symptoms in the arm; see our article on <a href="/cervical-radiculopathy-pinched-nerve-in-the-neck/">cervical radiculopathy</a>.</p>
<h2>Why It Hurts, and Why It Sometimes Doesn't</h2>
<p>A herniated disc can cause pain in two ways. The disc itself can be a source of back pain, and the herniated material can press on or chemically irritate a nearby nerve root, causing pain, tingling or weakness down the leg. That is <a href="/sciatica-causes-symptoms-and-what-helps/">sciatica</a>, or in clinical terms radiculopathy.</p>
<p>Surprisingly, many herniations cause no symptoms at all. MRI studies of people with no back pain find disc bulges in a large share of adults, and the proportion rises steadily with age. That is why scan findings always need to be read alongside your symptoms and examination, and why routine scans are not recommended for most back pain.</p>
<h2>How Discs Heal</h2>
<p>One of the most encouraging findings in spine research is that herniated disc material often shrinks or disappears over time. The body treats the escaped material as foreign and gradually reabsorbs it; larger herniations may even be more likely to shrink. The inflammation around the nerve settles too. This is why most people with a herniated disc improve within weeks to a few months without surgery.</p>
<h2>What You Can Do</h2>
<ul>
<li><strong>Stay active within comfort.</strong> Walking is usually well tolerated and helps more than resting in bed.</li>
<li><strong>Vary your position.</strong> Long spells of sitting often aggravate disc pain; get up every 20 to 30 minutes.</li>
<li><strong>Use pain relief sensibly</strong> so that you can keep moving. Ask a pharmacist what suits you.</li>
<li><strong>Try heat</strong> for the muscle spasm around the area.</li>
<li><strong>See a physiotherapist</strong> if things aren't improving after a couple of weeks, for an exercise programme tailored to you.</li>
</ul>
<p>You don't need to avoid bending for ever. Once the acute pain settles, a gradual return to normal movement, including bending and lifting, helps to rebuild strength and confidence.</p>
<h2>Is Surgery Ever Needed?</h2>
<p>Surgery, usually a microdiscectomy, is considered when severe leg pain persists despite several weeks of good non-surgical care, or when there is significant or worsening nerve weakness. It is very effective at relieving leg pain quickly, less so for back pain. Only a minority of people with a herniated disc need it.</p>
<p>A large herniation low in the spine can, rarely, press on the bundle of nerves there: cauda equina syndrome, an emergency. The signs to act on at once are in the emergency card below.</p>""",
    },
    {
        "title": "The First 48 Hours: What to Do When Your Lower Back Goes",
        "slug": "first-48-hours-when-your-lower-back-goes",
        "category": "lower-back-pain",
        "tags": ["acute back pain", "lumbar", "self-care"],
        "excerpt": "A sudden, sharp lower back pain is frightening but rarely serious. How to move, rest and ease the pain in the first couple of days.",
        "author": "maya.hughes",
        "days_ago": 23,
        "featured": False,
        "image_alt": "Illustration: a curving column of vertebrae, like a spine seen from the side, drawn in white over a soft gradient",
        "motif": "spine",
        "palette": ("#e76f51", "#fde8d7"),
        "body": """<p>It often happens while doing something ordinary: picking up a sock, lifting the shopping, getting out of the car. A sudden, sharp pain in the lower back, perhaps with a spasm that makes it hard to stand up straight. Acute low back pain is frightening, but it is very common and in the vast majority of cases it isn't caused by anything serious. Here is how to handle the first couple of days.</p>
<h2>First, Don't Panic</h2>
<p>Sudden, severe back pain feels like serious damage, but how much something hurts is a poor guide to how much harm has been done. Most acute back pain is “non-specific”: it comes from the muscles, ligaments, joints or discs of the back without one identifiable injury, and most episodes improve a great deal within a few weeks. Reassurance is part of the treatment, because people who expect to recover tend to recover faster.</p>
<h2>Keep Moving, Little and Often</h2>
<p>For years people were told to rest in bed. We now know that bed rest slows recovery. The best approach is to stay as active as you can:</p>
<ul>
<li>Get up and walk around the house for a few minutes every hour.</li>
<li>Change position often, and avoid sitting for long stretches.</li>
<li>Carry on with light daily activities, doing them more slowly if you need to.</li>
<li>If you need to lie down, do so for short spells, then get moving again.</li>
</ul>
<p>Some pain with movement is expected and is not a sign you are doing damage. Be guided by what you can manage, and do a little more each day.</p>
<h2>Positions That Can Help</h2>
<h3>Lying down</h3>
<p>Try lying on your back with your knees bent and feet flat, or with your lower legs resting on a chair seat. On your side, bend your knees slightly and put a pillow between them.</p>
<h3>Getting out of bed</h3>
<p>Roll onto your side, bend your knees, then push up with your arms while you lower your legs over the edge of the bed. This avoids twisting or sitting straight up from lying flat.</p>
<h2>Heat, Cold and Pain Relief</h2>
<p>Many people find that a hot water bottle or heat pack wrapped in a towel relaxes muscle spasm; some prefer a cold pack for the first day or two. Use whichever feels better, for 15 to 20 minutes at a time and never directly on the skin. There is more detail in <a href="/heat-or-ice-for-back-pain/">heat or ice for back pain</a>.</p>
<p>Over-the-counter anti-inflammatory medicines such as ibuprofen can help in the short term if they are safe for you. Paracetamol on its own is no longer thought to help much with back pain. Check with a pharmacist, particularly if you have asthma, stomach ulcers, or kidney or heart problems, are pregnant, or take other medicines.</p>
<h2>Gentle Movements</h2>
<p>Once the worst of the spasm eases, usually within a day or two, gentle movements can help:</p>
<ol>
<li><strong>Knee rolls:</strong> lying on your back with knees bent, slowly let both knees fall a little to one side, then the other, 10 times.</li>
<li><strong>Pelvic tilts:</strong> in the same position, gently flatten your lower back into the floor, then release, 10 times.</li>
<li><strong>Knee to chest:</strong> bring one knee towards your chest, hold for 10 to 20 seconds, then swap.</li>
</ol>
<p>Stay within a comfortable range. Our <a href="/gentle-morning-routine-for-a-stiff-lower-back/">gentle morning routine</a> builds on these.</p>""",
    },
    {
        "title": "Neck Stretches for Desk Work: A Five-Minute Routine",
        "slug": "neck-stretches-for-desk-work",
        "category": "exercises-and-stretches",
        "tags": ["neck stretches", "desk work", "posture", "neck pain"],
        "excerpt": "Six simple neck and shoulder stretches you can do in your chair, plus the small habits that keep desk-related stiffness away.",
        "author": "priya.raman",
        "days_ago": 6,
        "featured": False,
        "image_alt": "Illustration: a head and neck in profile above the shoulders, drawn in white over a soft gradient",
        "motif": "neck",
        "palette": ("#457b9d", "#f1faee"),
        "body": """<p>Hours in front of a screen can leave your neck and shoulders tight and tired by mid-afternoon. The problem is rarely one “bad” position; it is staying in any position for too long. These neck stretches for desk work take about five minutes, need no equipment and can be done in your chair. Do them once or twice a day, or whenever you notice stiffness creeping in.</p>
<h2>Before You Start</h2>
<ul>
<li>Move slowly and smoothly, and never bounce.</li>
<li>Stretch to a point of gentle tension, not pain.</li>
<li>Breathe normally throughout; it helps the muscles let go.</li>
<li>Stop if you feel dizzy, get pins and needles, or feel pain spreading into your arm, and mention it to a clinician.</li>
</ul>
<h2>The Routine</h2>
<h3>1. Chin tucks</h3>
<p>Sit tall, looking straight ahead. Gently draw your chin straight back, as if making a double chin, keeping your eyes level. You should feel a stretch at the base of your skull. Hold for three to five seconds, relax, and repeat 10 times. This counters the head-forward position many of us slip into while reading a screen.</p>
<h3>2. Side bends</h3>
<p>With your shoulders relaxed and level, tilt your right ear towards your right shoulder until you feel a stretch along the left side of your neck. For a little more stretch, hold the seat of your chair with your left hand. Hold for 20 to 30 seconds, then swap sides. Repeat twice each way.</p>
<h3>3. Rotations</h3>
<p>Slowly turn your head to look over your right shoulder as far as is comfortable. Hold for five seconds, come back to the centre, then turn to the left. Repeat five times each way, keeping your chin level rather than letting it drop.</p>
<h3>4. Upper back stretch</h3>
<p>Clasp your hands in front of you at chest height, round your upper back and push your hands forward, letting your head drop slightly. You should feel the stretch between your shoulder blades. Hold for 20 seconds.</p>
<h3>5. Chest opener</h3>
<p>Sit towards the front of your chair. Clasp your hands behind your lower back, or hold the back of the chair, then gently squeeze your shoulder blades together and lift your chest. Hold for 20 seconds while breathing slowly. Rounded shoulders and tight chest muscles often go hand in hand with neck tension.</p>
<h3>6. Shoulder rolls</h3>
<p>Lift your shoulders up towards your ears, roll them back and down, and let them drop. Do 10 slow circles, then rest your arms and notice how your neck feels.</p>
<h2>Build Movement Into Your Day</h2>
<p>Stretching helps, but variety helps more. Research in office workers suggests that regular exercise, particularly strengthening the neck and shoulder muscles, reduces neck pain more reliably than stretching alone. Small habits add up:</p>
<ul>
<li>Stand up or change position every 30 to 45 minutes; a timer or calendar reminder works well.</li>
<li>Take phone calls standing or walking.</li>
<li>Keep a glass of water on your desk, which gives you natural reasons to get up.</li>
<li>Check your setup: a screen that is too low or too far away keeps pulling your head forward. Our <a href="/setting-up-a-desk-that-is-kind-to-your-back/">desk setup guide</a> covers the details.</li>
</ul>
<blockquote><p>Your best posture is your next posture. Moving often matters more than sitting perfectly still in the “right” position.</p></blockquote>
<h2>When to Seek Advice</h2>
<p>Most desk-related neck stiffness responds well to movement and a few changes of routine. See a GP or physiotherapist if pain lasts more than a few weeks, keeps coming back, or comes with headaches that are new for you. Pain, numbness or weakness travelling into the arm, or neck pain with fever, a severe headache, or problems with balance or coordination, needs prompt medical attention.</p>""",
    },
    {
        "title": "Waking Up With a Stiff Neck: Understanding Torticollis",
        "slug": "waking-up-with-a-stiff-neck-torticollis",
        "category": "neck-pain",
        "tags": ["torticollis", "wry neck", "stiff neck", "sleep"],
        "excerpt": "Woke up unable to turn your head? Acute torticollis, or wry neck, is painful but usually settles within days. Here is how to help it along.",
        "author": "daniel.okafor",
        "days_ago": 12,
        "featured": False,
        "image_alt": "Illustration: a head and neck in profile above the shoulders, drawn in white over a soft gradient",
        "motif": "neck",
        "palette": ("#b5838d", "#ffe5d9"),
        "body": """<p>You go to bed feeling fine and wake up unable to turn your head. Every attempt to look over your shoulder sends a sharp twinge through the side of your neck, and your head may even be tilted slightly to one side. This is acute torticollis, often called wry neck. It can be very painful, but it is usually harmless and short-lived.</p>
<h2>What Is Torticollis?</h2>
<p>“Torticollis” comes from the Latin for “twisted neck”. The sudden form in adults is thought to start when a small joint in the cervical spine (the neck) becomes irritated, or when a muscle goes into protective spasm, for example after sleeping in an awkward position or making an unusual movement. The spasm holds the head still, which is why turning or tilting it hurts.</p>
<p>It is different from torticollis in babies, and from cervical dystonia, a neurological condition that causes ongoing involuntary muscle contractions. Those need specialist assessment.</p>
<h2>How Long Does It Last?</h2>
<p>Acute wry neck usually improves a lot within 24 to 48 hours and settles completely within about a week. Some people have repeated episodes; if that is you, it is worth looking at your pillow and at how much time you spend in one position during the day.</p>
<h2>What Helps</h2>
<h3>Keep it moving</h3>
<p>It is tempting to hold your neck completely still, but gentle movement helps the spasm release. Every hour or so, slowly turn and tilt your head within the range that feels comfortable. Don't force it; the range will gradually increase.</p>
<h3>Warmth</h3>
<p>A warm shower, a heat pack or a hot water bottle wrapped in a towel can relax tight muscles. Apply heat for 15 to 20 minutes a few times a day, and check your skin regularly.</p>
<h3>Pain relief</h3>
<p>Simple painkillers, or an anti-inflammatory such as ibuprofen if it is suitable for you, can take the edge off and make gentle movement easier. Ask a pharmacist if you are unsure. An anti-inflammatory gel rubbed into the area is an option for people who can't take tablets.</p>
<h3>Support at night</h3>
<p>Use a pillow that keeps your neck roughly in line with the rest of your spine, neither propped up high nor sagging. Many people find one supportive pillow better than two stacked ones. There is more in our guide to <a href="/sleeping-positions-for-back-and-neck-pain/">sleeping positions for back and neck pain</a>.</p>
<h3>Skip the collar</h3>
<p>Soft collars are generally not recommended: they keep the neck still for longer and can slow recovery.</p>
<h2>Gentle Exercises Once It Eases</h2>
<p>As the pain settles, the chin tucks, side bends and rotations in <a href="/neck-stretches-for-desk-work/">neck stretches for desk work</a> help to restore full movement. Start with small ranges and a few repetitions, and build up over several days.</p>""",
    },
    {
        "title": "Cervical Radiculopathy: When a Trapped Nerve in the Neck Causes Arm Pain",
        "slug": "cervical-radiculopathy-pinched-nerve-in-the-neck",
        "category": "neck-pain",
        "tags": ["radiculopathy", "trapped nerve", "cervical", "herniated disc"],
        "excerpt": "Pain shooting from the neck into one arm, with pins and needles in the fingers, often means an irritated nerve root. What causes it and how it recovers.",
        "author": "priya.raman",
        "days_ago": 30,
        "featured": False,
        "image_alt": "Illustration: a head and neck in profile above the shoulders, drawn in white over a soft gradient",
        "motif": "neck",
        "palette": ("#264653", "#8ab6d6"),
        "body": """<p>Most neck pain stays in the neck. Sometimes, though, the pain shoots down one arm, perhaps with pins and needles in the fingers or a feeling of weakness in the hand. This pattern suggests that a nerve root in the neck is being irritated: a condition clinicians call cervical radiculopathy and many people know as a trapped or pinched nerve.</p>
<h2>How It Happens</h2>
<p>Eight pairs of nerves leave the cervical spine through small openings between the vertebrae to supply the shoulders, arms and hands. A nerve root can be squeezed or inflamed in two main ways:</p>
<ul>
<li><strong>A herniated disc</strong>, more common in people under about 50, where disc material presses on the nerve root. The same thing happens in the lower back; see <a href="/herniated-disc-what-a-slipped-disc-really-means/">what a slipped disc really means</a>.</li>
<li><strong>Age-related narrowing</strong> (cervical spondylosis), where thickened joints and small bony spurs reduce the space around the nerve. This is more common from middle age onwards.</li>
</ul>
<h2>Symptoms</h2>
<p>Symptoms follow the area supplied by the affected nerve, which is why a clinician will ask exactly where you feel them. The patterns overlap from person to person, but the usual ones are:</p>
<table>
<thead>
<tr><th scope="col">Nerve root</th><th scope="col">Where pain or tingling is often felt</th><th scope="col">Movements that may be weak</th></tr>
</thead>
<tbody>
<tr><td>C5</td><td>Shoulder and upper outer arm</td><td>Lifting the arm out to the side</td></tr>
<tr><td>C6</td><td>Outer forearm, thumb and index finger</td><td>Bending the elbow, lifting the wrist</td></tr>
<tr><td>C7</td><td>Back of the arm and the middle finger</td><td>Straightening the elbow</td></tr>
<tr><td>C8</td><td>Inner forearm, ring and little fingers</td><td>Gripping and fine finger movements</td></tr>
</tbody>
</table>
<p>The pain is often worse when looking up or turning the head towards the painful side. Some people find relief by resting the hand of the affected arm on top of their head.</p>
<h2>The Outlook</h2>
<p>Most cases of cervical radiculopathy improve without surgery. Symptoms often ease significantly over several weeks to a few months as the inflammation around the nerve settles. The arm pain can be intense early on, so sensible pain relief and a clear explanation of what is going on both matter.</p>
<h2>Managing It</h2>
<ul>
<li><strong>Stay gently active.</strong> Keep moving your neck and arm within comfortable limits. Long periods of rest and soft collars don't usually help beyond the first few days.</li>
<li><strong>Find comfortable positions</strong> for sleep, often on your back or on the unaffected side, with a pillow that supports the natural curve of your neck.</li>
<li><strong>Cut down on aggravating positions</strong>, such as looking down at a phone for long periods or working with your arms overhead.</li>
<li><strong>Pain relief:</strong> anti-inflammatories may help. If nerve pain is severe, your doctor may discuss medicines aimed specifically at nerve pain.</li>
<li><strong>Physiotherapy:</strong> exercises for neck movement and for the muscles around the neck and shoulder blades, sometimes with hands-on treatment, can help recovery.</li>
</ul>
<h2>Scans and Other Treatments</h2>
<p>Most people don't need an MRI scan at first. It becomes useful if symptoms are severe or not improving after six to eight weeks, or if there is significant nerve weakness, particularly when an injection or surgery is being considered. Surgery to take the pressure off the nerve root works well for the minority who need it.</p>""",
    },
    {
        "title": "Tech Neck: How Phones and Laptops Affect Your Neck",
        "slug": "tech-neck-phones-laptops-and-your-neck",
        "category": "neck-pain",
        "tags": ["tech neck", "posture", "screens", "neck pain"],
        "excerpt": "Looking down at a phone won't ruin your spine, but long, still hours over screens can leave your neck aching. What the evidence says and what to change.",
        "author": "daniel.okafor",
        "days_ago": 1,
        "status": "draft",
        "featured": False,
        "image_alt": "Illustration: a head bent down over a phone, drawn in white over a soft gradient",
        "motif": "phone",
        "palette": ("#5c677d", "#d9e2ec"),
        "body": """<p>“Tech neck” is a catchy name for the aches many people feel after long sessions hunched over phones, tablets and laptops. You may have seen dramatic claims that looking down at your phone puts the weight of a small child on your spine and will damage it for good. The reality is more nuanced, and more reassuring.</p>
<h2>What the Numbers Really Mean</h2>
<p>The widely shared figures come from a mechanical model showing that the load on the neck increases as the head tilts forward, because the neck muscles have to work harder to hold the head up against gravity. That is true, but your neck is built to bend: we look down to read, cook, garden and look after children. Research linking phone use to lasting neck damage is mixed, and many studies find only weak links between posture and neck pain.</p>
<p>What does seem to matter is staying in one position for a long time without a break, and how well conditioned your muscles are to cope with it.</p>
<h2>Why Your Neck Aches After Screen Time</h2>
<ul>
<li><strong>Sustained load:</strong> holding any position, even a “perfect” upright one, tires the muscles.</li>
<li><strong>Less movement:</strong> absorbed in a screen, we blink less, move less and forget to shift position.</li>
<li><strong>Stress:</strong> emails, deadlines and endless scrolling raise muscle tension around the neck and shoulders.</li>
<li><strong>Deconditioning:</strong> weaker neck and upper back muscles tire more quickly.</li>
</ul>
<h2>Practical Fixes</h2>
<h3>Bring the screen up</h3>
<p>Hold your phone a little higher, closer to eye level, and rest your elbows on a table or against your ribs. When reading on a tablet, prop it on a stand or a cushion.</p>
<h3>Make a laptop work like a desktop</h3>
<p>On a desk, a laptop forces a choice between looking down at the screen and reaching up to the keyboard. For regular use, raise it on a stand or a stack of books and add a separate keyboard and mouse.</p>
<h3>Move often</h3>
<p>Look up and around every few minutes, and take a proper break at least every half hour. Try the exercises in our <a href="/neck-stretches-for-desk-work/">neck stretches for desk work</a>.</p>
<h3>Build strength</h3>
<p>Exercises that strengthen the neck and upper back, such as chin tucks, rows with a resistance band and shoulder blade squeezes, help your body tolerate screen time. Two or three short sessions a week make a difference over a couple of months.</p>
<h2>Children and Teenagers</h2>
<p>Young people spend many hours on devices, and parents often worry about their posture. The same principles apply: regular breaks, varied positions and plenty of physical activity. Neck pain in a child that is persistent or severe, or that comes with other symptoms such as a fever, should be checked by a doctor.</p>""",
    },
    {
        "title": "Setting Up a Desk That Is Kind to Your Back",
        "slug": "setting-up-a-desk-that-is-kind-to-your-back",
        "category": "posture-and-ergonomics",
        "tags": ["desk setup", "ergonomics", "sitting", "posture"],
        "excerpt": "A few adjustments to the chair, screen and keyboard you already have can take a lot of strain off your back and neck.",
        "author": "maya.hughes",
        "days_ago": 19,
        "featured": False,
        "image_alt": "Illustration: a desk with a screen raised on a stand and a chair, drawn in white over a soft gradient",
        "motif": "desk",
        "palette": ("#588157", "#e9f0e1"),
        "body": """<p>You don't need expensive equipment to work comfortably. A few adjustments to the chair, screen and keyboard you already have can take a lot of strain off your back, neck and shoulders. The goal isn't to lock yourself into a perfect posture, but to make comfortable positions easy and moving around natural.</p>
<h2>Start With the Chair</h2>
<ul>
<li><strong>Height:</strong> adjust it so your feet rest flat on the floor, or on a footrest, with your knees roughly level with or slightly below your hips.</li>
<li><strong>Depth:</strong> you should be able to fit two or three fingers between the front edge of the seat and the backs of your knees.</li>
<li><strong>Back support:</strong> sit back into the chair so the backrest supports you. If it doesn't fit the curve of your lower back, a small cushion or rolled towel at belt height can help.</li>
<li><strong>Armrests:</strong> they should let your shoulders relax. If they push your shoulders up or stop you getting close to the desk, lower or remove them.</li>
</ul>
<h2>Then the Screen</h2>
<p>Put your monitor about an arm's length away, directly in front of you. The top of the screen should be at or slightly below eye level, so that you look slightly down at the middle of it. If you wear varifocal or bifocal glasses, set it a little lower so you aren't tilting your head back to read through the bottom of your lenses.</p>
<p>If you use two screens equally, place them side by side with the join in front of you. If one is your main screen, put it straight ahead and the second one off to the side.</p>
<h2>Keyboard and Mouse</h2>
<p>Place the keyboard directly in front of you, close enough that your elbows can stay by your sides, bent at roughly a right angle. Your wrists should be fairly straight, not bent up or down. Keep the mouse close to the keyboard so you aren't reaching out to the side for hours; a compact keyboard without a number pad helps with this.</p>
<h2>Laptops</h2>
<p>Laptops are designed to be portable, not to be used all day. If you work on one regularly, raise it on a stand or a pile of books to bring the screen up, and add a separate keyboard and mouse. Working from the sofa or bed is fine now and then, but not as a daily habit.</p>
<h2>Standing Desks</h2>
<p>Sit-stand desks can help, mainly because they make it easy to change position. Standing all day is not the answer either, and it brings its own aches in the legs and lower back. A reasonable approach is to alternate, perhaps 30 to 60 minutes sitting and then a spell standing, adjusting to what feels comfortable. When you stand, set the desk so your elbows are still at about a right angle.</p>
<h2>Lighting and Glare</h2>
<p>Glare and poor lighting make us lean forward and squint. Where you can, place your screen at right angles to windows, and adjust its brightness to match the room.</p>
<h2>Movement Is the Missing Ingredient</h2>
<p>Even the best setup won't help much if you sit still for hours. Breaking up sitting with short walks or stretches reduces discomfort for many people. Set reminders to stand and move every half hour or so, and try our <a href="/neck-stretches-for-desk-work/">five-minute desk routine</a>. If you are worried about sitting itself, read <a href="/is-sitting-really-bad-for-your-back/">is sitting really bad for your back?</a></p>
<h2>A Quick Checklist</h2>
<ol>
<li>Feet supported, knees around hip height</li>
<li>Back supported by the chair</li>
<li>Screen an arm's length away, its top at about eye level</li>
<li>Keyboard and mouse close, elbows relaxed by your sides</li>
<li>A reminder to get up every 30 minutes</li>
</ol>
<p>If you still have pain after making these changes, speak to a physiotherapist or an occupational health adviser, who can look at both your setup and your symptoms.</p>""",
    },
    {
        "title": "Is Sitting Really Bad for Your Back?",
        "slug": "is-sitting-really-bad-for-your-back",
        "category": "posture-and-ergonomics",
        "tags": ["sitting", "posture", "myths", "lower back pain"],
        "excerpt": "Sitting won't damage your spine and there is no single correct posture. What matters more is moving often and staying active.",
        "author": "daniel.okafor",
        "days_ago": 26,
        "featured": False,
        "image_alt": "Illustration: a desk with a screen raised on a stand and a chair, drawn in white over a soft gradient",
        "motif": "desk",
        "palette": ("#bc6c25", "#fefae0"),
        "body": """<p>“Sitting is the new smoking” is a headline that gets a lot of attention. And if you have back pain, you have probably been told to sit up straight, pull your shoulders back and never slouch. But what does the evidence actually say about sitting, posture and back pain?</p>
<h2>Sitting Isn't Dangerous for Your Spine</h2>
<p>Reviews of the research have not found that sitting, on its own, causes low back pain. People who sit for work don't clearly have more back pain than people in active jobs. Sitting for long periods can make existing back pain feel worse, and long hours of inactivity are linked to other health problems such as heart disease and type 2 diabetes. So the issue is less about damage to the back and more about moving too little overall.</p>
<h2>There Is No Single Correct Posture</h2>
<p>Spines come in many shapes. Studies comparing people with and without back pain have found that no particular sitting or standing posture reliably predicts who will develop pain. People with pain often sit more rigidly, not less, and trying to hold a “perfect” upright posture all day can increase muscle tension.</p>
<p>Slouching isn't harmful in itself. It is a position like any other, and a comfortable one to spend some time in. The trouble comes from staying in any position, slumped or upright, for too long.</p>
<blockquote><p>Comfortable and varied beats perfect and rigid. Think of posture as something that changes through the day, not a position you have to hold.</p></blockquote>
<h2>Why Sitting Can Hurt When Your Back Is Sore</h2>
<p>If you already have back pain, sitting for a long time can aggravate it. Some people, for example those with disc-related pain or <a href="/sciatica-causes-symptoms-and-what-helps/">sciatica</a>, find sitting especially uncomfortable, while others find standing or walking harder. This is a sign of sensitivity, not necessarily of damage, and it usually improves as the pain settles.</p>
<h2>What Actually Helps</h2>
<h3>Change position often</h3>
<p>Shift around in your chair: lean back, sit forward, stand up. Many people find that getting up at least every 30 minutes works well.</p>
<h3>Find comfortable support</h3>
<p>A chair that supports your lower back can make sitting easier, especially when your back is sore. Our guide to <a href="/setting-up-a-desk-that-is-kind-to-your-back/">setting up a desk that is kind to your back</a> covers the basics.</p>
<h3>Be active outside work</h3>
<p>Regular physical activity is one of the best things you can do for your back. Walking, swimming, cycling, strength training and yoga all have their fans, and the best exercise is the one you will keep doing. Aim for the general recommendation of around 150 minutes of moderate activity a week, built up gradually.</p>
<h3>Build strength and confidence</h3>
<p>A stronger, fitter body tolerates sitting, lifting and bending better. Fear of movement, on the other hand, tends to keep pain going.</p>
<h2>The Bottom Line</h2>
<p>Sitting isn't dangerous for your back, and you don't need to hold your posture in one perfect shape. Move often, stay generally active and set up your workspace so you are comfortable. If sitting is becoming difficult because of pain, or the pain spreads into your leg, causes numbness or hasn't improved after a few weeks, talk to a GP or physiotherapist.</p>""",
    },
    {
        "title": "Lifting Without Hurting Your Back",
        "slug": "lifting-without-hurting-your-back",
        "category": "posture-and-ergonomics",
        "tags": ["lifting", "posture", "lower back pain", "strength"],
        "excerpt": "“Bend your knees, keep your back straight” is only part of the story. What the evidence says about lifting, and how to build a back that copes.",
        "author": "priya.raman",
        "days_ago": 2,
        "status": "draft",
        "featured": False,
        "image_alt": "Illustration: a figure lifting a box close to the body, knees bent, drawn in white over a soft gradient",
        "motif": "lift",
        "palette": ("#7f5539", "#ede0d4"),
        "body": """<p>Ask most people how to lift and they will tell you: bend your knees and keep your back straight. That advice has been repeated for decades in workplace training, yet back pain is as common as ever. The evidence on lifting is more interesting, and more encouraging, than the rules suggest.</p>
<h2>Is Bending Your Back Dangerous?</h2>
<p>No. Your spine is designed to bend, and studies have not found that lifting with a rounded back causes more back pain than lifting with a straight one. Reviews of manual handling training, which usually teaches a “correct” technique, show that it doesn't prevent back pain on its own. People with and without back pain lift in a wide variety of ways.</p>
<p>What matters more is whether your body is prepared for the load: how heavy it is, how often you lift it, how tired you are, and how used you are to that kind of task. A back that is regularly and gradually exposed to lifting becomes stronger and more tolerant.</p>
<h2>Practical Tips</h2>
<p>That doesn't make technique irrelevant. Some habits make lifting easier and more comfortable:</p>
<ul>
<li><strong>Plan ahead.</strong> Know where you are taking the load, clear the way, and decide whether you need help or a trolley.</li>
<li><strong>Get close.</strong> Holding a load near your body takes far less effort than holding it at arm's length.</li>
<li><strong>Use a stable stance.</strong> Feet roughly hip-width apart gives you a steady base.</li>
<li><strong>Move smoothly.</strong> Avoid jerking the load up; take a breath and lift in a controlled way.</li>
<li><strong>Turn with your feet</strong> when carrying something heavy, rather than twisting sharply while holding it away from you.</li>
<li><strong>Share or split the load.</strong> Two lighter bags are easier than one heavy one, and awkward items are a job for two people.</li>
</ul>
<h2>Lifting When Your Back Already Hurts</h2>
<p>During a flare-up it makes sense to cut down on heavy lifting for a while and to lift in whatever way feels most comfortable. Many people find bending at the knees and hips easier when the back is sore; others prefer a slight forward bend with one leg lifted behind them to pick up something light from the floor. There is no need to stop lifting altogether: a gradual return to everyday lifting helps recovery.</p>
<h2>Build Capacity</h2>
<p>The best protection against lifting-related pain is a strong, conditioned body. Exercises that train the legs, hips and back, such as squats, hip hinges and the exercises in our <a href="/core-strengthening-for-back-pain/">core strengthening guide</a>, build the capacity to handle everyday loads. Start light and progress slowly. If you are new to strength training, a physiotherapist or qualified trainer can help you get started.</p>
<h2>Know Your Limits at Work</h2>
<p>At work, follow your employer's manual handling assessments. They exist to reduce the load on everyone, not just to teach technique, so use the lifting aids provided and ask for help with heavy or awkward items.</p>
<h2>When to Seek Help</h2>
<p>If you do hurt your back lifting, the advice in <a href="/first-48-hours-when-your-lower-back-goes/">the first 48 hours</a> applies. Seek medical help urgently if you develop leg weakness, numbness around the genitals or buttocks, or changes in bladder or bowel control, and see your GP if the pain doesn't start to ease within a couple of weeks.</p>""",
    },
    {
        "title": "A Gentle Morning Routine for a Stiff Lower Back",
        "slug": "gentle-morning-routine-for-a-stiff-lower-back",
        "category": "exercises-and-stretches",
        "tags": ["lumbar", "stretches", "morning routine", "lower back pain"],
        "excerpt": "Seven slow movements, some of which you can do before you even get out of bed, to ease the morning stiffness in your lower back.",
        "author": "priya.raman",
        "days_ago": 37,
        "featured": False,
        "image_alt": "Illustration: a sun rising over the horizon, drawn in white over a soft gradient",
        "motif": "sunrise",
        "palette": ("#f4a261", "#fff3e0"),
        "body": """<p>Many people with back pain notice that their lower back is at its stiffest first thing in the morning. After hours of lying still, the joints and tissues of the spine need a little time to loosen up. This gentle routine takes about ten minutes and can be started before you get out of bed.</p>
<p>Morning stiffness that eases within a short while of moving about is very common. If your stiffness lasts more than half an hour to an hour every day, particularly if you are under 40 and it gets better with exercise rather than rest, mention it to your GP. It can occasionally point to an inflammatory condition called axial spondyloarthritis, which benefits from early diagnosis.</p>
<h2>Ground Rules</h2>
<ul>
<li>Move slowly and breathe steadily.</li>
<li>Work within a comfortable range. A mild stretching feeling is fine; sharp or increasing pain is a signal to ease off.</li>
<li>Repetition matters more than force. Your range will usually improve as you go.</li>
</ul>
<h2>In Bed</h2>
<h3>1. Knee rolls</h3>
<p>Lie on your back with your knees bent and feet flat. Keeping your shoulders relaxed, slowly let both knees drop to one side as far as is comfortable, bring them back, then go to the other side. Repeat 10 times each way. This gently rotates the lumbar spine.</p>
<h3>2. Pelvic tilts</h3>
<p>In the same position, gently tighten your tummy muscles and flatten your lower back into the mattress, tilting your pelvis backwards. Hold for a couple of seconds, then relax and let your back arch slightly. Repeat 10 times with a slow rhythm.</p>
<h3>3. Knee to chest</h3>
<p>Bring one knee towards your chest, holding behind your thigh. Hold for 20 seconds, then swap. If it is comfortable, bring both knees up together and hold gently. Repeat twice on each side.</p>
<h2>On the Floor</h2>
<h3>4. Cat–cow</h3>
<p>On your hands and knees, with your hands under your shoulders and knees under your hips, slowly round your back up towards the ceiling and let your head drop. Then let your back gently sag as you lift your head to look forward. Move between the two for eight to ten slow cycles, letting your breath lead the movement.</p>
<h3>5. Child's pose</h3>
<p>From your hands and knees, sit your bottom back towards your heels, with your arms stretched out in front and your forehead resting on the floor or a cushion. Hold for 20 to 30 seconds and breathe into your lower back. If your knees complain, put a pillow between your heels and your bottom.</p>
<h3>6. Bridge</h3>
<p>Lie on your back with your knees bent and feet hip-width apart. Squeeze your buttocks and lift your hips until your body forms a straight line from shoulders to knees. Hold for three to five seconds and lower slowly. Repeat eight to ten times. This wakes up the gluteal muscles that support the lower back.</p>
<h2>Standing</h2>
<h3>7. Standing back bend</h3>
<p>Stand with your feet apart and your hands on your lower back or hips. Gently lean back, looking slightly upwards, then return to upright. Repeat five times. Skip this one if bending backwards increases pain in your leg.</p>
<h2>Make It a Habit</h2>
<p>Do the routine every day for two weeks and notice how you feel. It pairs well with a short walk, one of the best ways to keep a lower back moving. On bad days, do only the exercises in bed; on good days, add a few more repetitions.</p>
<p>This routine is meant for general stiffness and everyday back pain. If you have had recent spinal surgery or a fracture, have osteoporosis, or are pregnant, check with your clinician first. Stop and get advice if pain spreads down your leg, you notice numbness or tingling, or the exercises make things steadily worse.</p>""",
    },
    {
        "title": "Core Strengthening for Back Pain: Beyond Sit-Ups",
        "slug": "core-strengthening-for-back-pain",
        "category": "exercises-and-stretches",
        "tags": ["core strength", "exercise", "pilates", "lower back pain"],
        "excerpt": "Your core is more than a six-pack, and sit-ups are optional. A simple starter programme that builds a stronger, more resilient back.",
        "author": "maya.hughes",
        "days_ago": -3,
        "featured": False,
        "image_alt": "Illustration: a figure holding a plank on a mat, drawn in white over a soft gradient",
        "motif": "plank",
        "palette": ("#1d3557", "#a8dadc"),
        "body": """<p>“Strengthen your core” is probably the most common advice given for back pain. It is good advice, but it is often misunderstood. The core isn't just your six-pack, and endless sit-ups are neither necessary nor particularly helpful. Here is what the research says, and how to make a start.</p>
<h2>What Is the Core?</h2>
<p>The core is the group of muscles that wraps around the trunk and pelvis: the deep abdominal muscles, the muscles along the spine, the diaphragm above, the pelvic floor below and the muscles around the hips. Together they support and control the spine and pass force between the upper and lower body.</p>
<h2>What the Evidence Says</h2>
<p>Exercise therapy is one of the best-supported treatments for chronic low back pain. Interestingly, no single type of exercise is clearly best. Motor control exercises (which train the timing and coordination of the deep trunk muscles), Pilates, general strengthening and aerobic exercise all help, to broadly similar degrees. What matters most is doing exercise you enjoy, regularly, and making it a little harder over time.</p>
<p>So core work is valuable not because a “weak core” causes all back pain, but because building strength and confidence in movement makes the back more resilient.</p>
<h2>A Starter Programme</h2>
<p>Do these two or three times a week. Start with the lower number of repetitions and build up gradually.</p>
<h3>Dead bug</h3>
<p>Lie on your back with your knees bent at 90 degrees above your hips and your arms pointing up to the ceiling. Gently draw your tummy in. Slowly lower one arm and the opposite leg towards the floor, keeping your lower back still, then return. Alternate sides for six to ten repetitions each.</p>
<h3>Bird dog</h3>
<p>On your hands and knees, slowly straighten one leg behind you and the opposite arm in front, keeping your back level. Hold for three to five seconds, return and switch. Aim for six to ten on each side. Imagine balancing a cup of tea on your lower back.</p>
<h3>Side plank, modified</h3>
<p>Lie on your side, propped up on your forearm with your knees bent. Lift your hips so that your body forms a straight line from head to knees. Hold for 10 to 20 seconds, rest, and repeat three times on each side. Progress to straight legs when it feels easy.</p>
<h3>Glute bridge</h3>
<p>Lie on your back with your knees bent, squeeze your buttocks and lift your hips. Hold for a few seconds and lower. Do 10 to 15 repetitions. Progress by doing it on one leg.</p>
<h3>Front plank, modified</h3>
<p>On your forearms and knees, keep a straight line from head to knees and hold for 10 to 20 seconds. Progress to your toes when you are ready.</p>
<h2>Tips for Success</h2>
<ul>
<li><strong>Breathe.</strong> Holding your breath while bracing raises tension; breathe steadily throughout.</li>
<li><strong>Quality first.</strong> A few well-controlled repetitions beat many sloppy ones.</li>
<li><strong>Expect some discomfort</strong> when you start a new exercise; it should settle within a day. If pain is much worse the next day, scale back rather than stopping altogether.</li>
<li><strong>Progress gradually.</strong> Add repetitions, hold for longer or try a harder version every week or two.</li>
<li><strong>Mix it up.</strong> Combine core work with walking, swimming or cycling for overall fitness.</li>
</ul>
<h2>What About Sit-Ups?</h2>
<p>Sit-ups and crunches aren't dangerous for most people, but they mainly work the outer abdominal muscles and involve a lot of repeated bending that some people with back pain find uncomfortable. The exercises above are usually better tolerated and train the trunk more evenly.</p>
<h2>Getting Help</h2>
<p>A physiotherapist or qualified Pilates instructor can teach you good technique and tailor a programme to you. If you have a specific condition, such as recent surgery or osteoporosis, or severe or worsening pain, get advice before you start. And if your pain comes with numbness, weakness or changes in bladder control, see a doctor rather than exercising through it.</p>""",
    },
    {
        "title": "Sleeping Positions for Back and Neck Pain",
        "slug": "sleeping-positions-for-back-and-neck-pain",
        "category": "stress-and-sleep",
        "tags": ["sleep", "pillows", "relaxation", "neck pain"],
        "excerpt": "Pain disturbs sleep and poor sleep worsens pain. How to support your back and neck in each sleeping position, and wind down for a better night.",
        "author": "daniel.okafor",
        "days_ago": 14,
        "featured": False,
        "image_alt": "Illustration: a bed with a pillow under a crescent moon, drawn in white over a soft gradient",
        "motif": "bed",
        "palette": ("#22223b", "#9a8c98"),
        "body": """<p>Pain and sleep have a two-way relationship. Back or neck pain can make it hard to get comfortable and can wake you in the night, while poor sleep lowers your pain threshold and makes the next day's pain feel worse. Small changes to how you lie can make a surprising difference.</p>
<h2>Is There a Best Position?</h2>
<p>There is no single correct sleeping position. The best one is the one that lets you sleep comfortably with your spine in a fairly neutral position, not twisted or bent sharply to one side. Here is how to support the common positions.</p>
<h3>On your back</h3>
<p>Put a pillow under your knees to let your lower back relax; many people with back pain find this helps. Your head pillow should support the natural curve of your neck without pushing your head forward, and a thinner pillow often works better than a thick one.</p>
<h3>On your side</h3>
<p>Side sleeping is the most common position and is often comfortable for back pain. Bend your knees slightly and put a pillow between them to keep your hips, pelvis and spine in line. Your pillow should fill the gap between your ear and your shoulder so that your neck stays level, which usually means a thicker or firmer pillow than a back sleeper needs. Some people also like to hug a pillow to support the upper arm and shoulder.</p>
<h3>On your front</h3>
<p>Sleeping on your front tends to be the hardest on the neck, because your head is turned to one side for hours. It can also arch the lower back. If it is the only way you can sleep, try a very thin pillow, or none, under your head and a flat pillow under your hips. Some people find it easier to switch via a three-quarter position, half on the front and half on the side.</p>
<h2>Mattresses and Pillows</h2>
<p>Research doesn't support any particular brand or type of mattress for back pain. One well-known trial found that a medium-firm mattress was linked with less pain than a firm one, contrary to the old advice to sleep on a hard surface. Choose a mattress that feels comfortable and supportive to you, and think about replacing it if it sags.</p>
<p>The right pillow height depends on your build and your sleeping position. If you wake with a stiff neck, experiment with a lower pillow, a firmer one, or one you can shape. There is more on morning neck pain in <a href="/waking-up-with-a-stiff-neck-torticollis/">waking up with a stiff neck</a>.</p>
<h2>Getting In and Out of Bed</h2>
<p>When your back is sore, getting up can be the most painful moment of the night. Roll onto your side, bend your knees, then push yourself up sideways with your arms as you swing your legs down. Reverse the movement to lie down.</p>
<h2>Wind Down for Better Sleep</h2>
<p>A calmer mind makes it easier to fall asleep despite some discomfort. Useful habits include:</p>
<ul>
<li>Keeping regular sleep and wake times, even at weekends</li>
<li>Avoiding caffeine after early afternoon, and heavy meals or alcohol close to bedtime</li>
<li>Putting screens away half an hour before bed</li>
<li>A warm bath or shower, or a heat pack on a stiff back before bed</li>
<li>Relaxation techniques such as slow breathing or progressive muscle relaxation, described in our article on <a href="/stress-management-techniques-for-soothing-back-pain/">stress management for back pain</a></li>
</ul>
<h2>When Night Pain Needs Checking</h2>
<p>Struggling to find a comfortable position is common with back pain. But see a doctor if your pain is constant and severe at night whatever position you are in, wakes you every night, or comes with a fever, night sweats, unexplained weight loss, or a history of cancer. Long-standing insomnia is also worth discussing with your GP: cognitive behavioural therapy for insomnia (CBT-I) works well, and better sleep often eases pain too.</p>""",
    },
    {
        "title": "Heat or Ice for Back Pain? How to Choose",
        "slug": "heat-or-ice-for-back-pain",
        "category": "treatments",
        "tags": ["heat therapy", "ice", "self-care", "muscle spasm"],
        "excerpt": "Both are cheap and safe when used sensibly. When heat helps more, when cold might, and how to use each without burning your skin.",
        "author": "priya.raman",
        "days_ago": 44,
        "featured": False,
        "image_alt": "Illustration: a sun and a snowflake side by side, drawn in white over a soft gradient",
        "motif": "heat-ice",
        "palette": ("#d1495b", "#edf6f9"),
        "body": """<p>When your back or neck starts to hurt, reaching for a hot water bottle or a bag of frozen peas is an instinctive first step. Both are cheap, safe when used sensibly, and can genuinely help. But which should you choose, and when?</p>
<h2>What the Evidence Says</h2>
<p>For recent low back pain, there is moderate evidence that heat wraps reduce pain and improve movement in the short term. The evidence for cold is thinner, mostly because it has been studied less, not because it has been shown not to work. In practice, many clinicians suggest using whichever you find more soothing.</p>
<h2>Heat</h2>
<p>Heat increases blood flow to the area, relaxes tight muscles and can dull the sensation of pain. It tends to suit:</p>
<ul>
<li>Muscle spasm and stiffness</li>
<li>Long-standing (chronic) aches</li>
<li>Morning stiffness</li>
<li>Warming up before gentle exercise or stretching</li>
</ul>
<h3>How to use heat</h3>
<ul>
<li>A hot water bottle, microwavable wheat bag or heat pack, wrapped in a cloth</li>
<li>A warm bath or shower</li>
<li>Stick-on heat patches or wraps, which give low-level heat for several hours and can be worn under clothes</li>
</ul>
<p>Apply it for 15 to 20 minutes at a time. Aim for warm, not hot: gentle comfort is the goal. Don't fall asleep on a heat pad or hot water bottle, and don't apply heat to an area that is red, swollen or numb.</p>
<h2>Cold</h2>
<p>Cold narrows the blood vessels, which can reduce swelling, and numbs the area, which can dull pain. It may suit:</p>
<ul>
<li>A fresh strain or minor knock in the first day or two, particularly if there is swelling</li>
<li>Flare-ups that feel hot or inflamed</li>
<li>People who simply find cold more soothing</li>
</ul>
<h3>How to use cold</h3>
<p>Wrap an ice pack, a bag of frozen peas or some ice cubes in a damp towel. Apply it for up to 15 to 20 minutes, then give your skin time to warm up again before the next go. Never put ice directly on the skin, as it can cause an ice burn.</p>
<h2>Can You Combine Them?</h2>
<p>Some people like to alternate, using cold for a short spell followed by warmth. There is no strong evidence that this works better than either on its own, but it is safe and some people find it helpful.</p>
<h2>Safety Notes</h2>
<ul>
<li>Take extra care if you have diabetes, poor circulation or any condition that reduces feeling in the skin, because you may not notice a burn.</li>
<li>Avoid heat or cold on broken skin.</li>
<li>Check your skin every few minutes while you use them.</li>
<li>Don't treat heat or ice as a reason to stay still: they work best as a way to make moving easier.</li>
</ul>
<h2>Part of the Picture, Not All of It</h2>
<p>Heat and ice are good for comfort, but on their own they don't change how back pain runs its course. Staying active, gentle exercise such as our <a href="/gentle-morning-routine-for-a-stiff-lower-back/">morning routine</a>, and good sleep all play a bigger part in recovery. If your pain is severe, follows an injury, or comes with numbness, weakness, a fever, or bladder or bowel changes, get medical advice rather than treating it at home.</p>""",
    },
    {
        "title": "When to See a Physiotherapist, Chiropractor or Doctor",
        "slug": "when-to-see-a-physiotherapist-chiropractor-or-doctor",
        "category": "treatments",
        "tags": ["physiotherapy", "red flags", "treatment options"],
        "excerpt": "Most back and neck pain gets better with self-care. The warning signs that need urgent attention, and who can help when it doesn't.",
        "author": "maya.hughes",
        "days_ago": 52,
        "featured": False,
        "image_alt": "Illustration: a rounded medical cross in a circle, drawn in white over a soft gradient",
        "motif": "clinic",
        "palette": ("#0077b6", "#caf0f8"),
        "body": """<p>Most back and neck pain improves on its own with time, movement and simple self-care. But it isn't always obvious when to seek help, or whom to see. Here is a practical guide to the options, and to the warning signs that need urgent attention.</p>
<h2>Red Flags: Seek Urgent Help</h2>
<p>Call emergency services or go to an emergency department if back or neck pain comes with:</p>
<ul>
<li>Numbness around the genitals, buttocks or inner thighs</li>
<li>Difficulty passing urine, or loss of control of your bladder or bowels</li>
<li>Weakness, numbness or tingling in both legs, or weakness that is quickly getting worse</li>
<li>Unsteadiness on your feet or clumsy hands, along with neck pain</li>
<li>Pain after a serious accident or fall</li>
<li>Chest pain, or a fever with sweats and feeling very unwell</li>
<li>A stiff neck with a fever, severe headache, rash or sensitivity to light</li>
</ul>
<p>See your GP promptly, within days, if you have back pain together with unexplained weight loss, a history of cancer, a weakened immune system or a recent infection, or if you are over 50 and this is your first bout of significant back pain.</p>
<h2>Your GP</h2>
<p>A GP is a good first port of call if you are unsure what is causing your pain, if it isn't improving after two to four weeks, if you need advice on pain relief, or if pain is affecting your sleep, work or mood. They can check for less common causes, refer you on, and help with related problems such as anxiety or poor sleep. Don't expect a scan: for most back pain, X-rays and MRI don't change the treatment, and they often show normal age-related changes that cause needless worry.</p>
<h2>Physiotherapists</h2>
<p>Physiotherapists assess how you move and design exercise programmes to restore movement, strength and confidence. Exercise therapy is one of the best-supported treatments for persistent back and neck pain, so physiotherapy is often the most useful referral, and in many places you can refer yourself without seeing a GP first. A good physiotherapist will explain your problem, reassure you where appropriate, and give you a plan you can carry on with at home.</p>
<h2>Chiropractors and Osteopaths</h2>
<p>Chiropractors and osteopaths use hands-on treatment such as spinal manipulation and mobilisation, and usually give exercise and lifestyle advice too. Research suggests that spinal manipulation offers a modest short-term benefit for low back pain, similar to other recommended treatments, and works best as part of a package that includes exercise. Choose a registered practitioner, and be wary of anyone who recommends long courses of treatment paid for upfront, routine X-rays, or adjusting the spine to treat unrelated conditions.</p>
<p>Manipulation of the neck carries a small risk of serious complications, so many people prefer gentler mobilisation there. Talk through the options with your practitioner.</p>
<h2>Massage Therapists</h2>
<p>Massage can bring short-term relief from pain and muscle tension, and many people find it relaxing. The effects tend not to last, so it works best alongside exercise rather than instead of it.</p>
<h2>Pain Clinics and Specialists</h2>
<p>If pain persists for months despite good care, your GP may refer you to a specialist service: a musculoskeletal clinic, a pain clinic, or a spinal surgeon for specific problems such as persistent <a href="/sciatica-causes-symptoms-and-what-helps/">sciatica</a>. Pain management programmes combine exercise, psychological approaches and education, and help many people get back to the things they care about.</p>
<h2>Questions to Ask Any Practitioner</h2>
<ol>
<li>What do you think is causing my pain?</li>
<li>What can I do myself to help?</li>
<li>How many sessions do you expect I will need, and how will we know it is working?</li>
<li>What should make me come back sooner, or see someone else?</li>
</ol>
<p>Good care leaves you more confident, and less dependent on treatment, as time goes on.</p>""",
    },
]

# Medical review and sources per article slug. Two public articles are left unreviewed and one
# is due soon, so the admin's "medical review" filter and `review_reminders` have work to show.
REVIEWS = {
    "stress-management-techniques-for-soothing-back-pain": {
        "reviewer": "hannah-cole",
        "days_ago": 5,
        "sources": ["acp-2017", "cherkin-2016", "cochrane-yoga-2017", "nhs-back-pain"],
    },
    "sciatica-causes-symptoms-and-what-helps": {
        "reviewer": "samuel-adeyemi",
        "days_ago": 10,
        "sources": ["ropper-2015", "nice-ng59", "nhs-sciatica"],
    },
    "herniated-disc-what-a-slipped-disc-really-means": {
        "reviewer": "samuel-adeyemi",
        "days_ago": 17,
        "sources": ["brinjikji-2015", "nhs-slipped-disc", "nice-ng59"],
    },
    "first-48-hours-when-your-lower-back-goes": {
        "reviewer": "hannah-cole",
        "days_ago": 23,
        "sources": ["nhs-back-pain", "acp-2017", "nice-ng59"],
    },
    "neck-stretches-for-desk-work": {
        "reviewer": "hannah-cole",
        "days_ago": 7,
        "sources": ["cohen-2015", "nhs-neck-pain"],
    },
    "waking-up-with-a-stiff-neck-torticollis": {
        "reviewer": "samuel-adeyemi",
        "days_ago": 12,
        "sources": ["nhs-neck-pain", "cohen-2015"],
    },
    "cervical-radiculopathy-pinched-nerve-in-the-neck": {
        "reviewer": "samuel-adeyemi",
        "days_ago": 31,
        "sources": ["cohen-2015", "nhs-neck-pain"],
    },
    "setting-up-a-desk-that-is-kind-to-your-back": {
        "reviewer": "hannah-cole",
        "days_ago": 20,
        "sources": ["hse-dse", "foster-2018"],
    },
    "lifting-without-hurting-your-back": {"sources": ["hse-manual-handling"]},
    "gentle-morning-routine-for-a-stiff-lower-back": {
        "reviewer": "hannah-cole",
        "days_ago": 38,
        "sources": ["cochrane-exercise-2021", "nhs-back-pain"],
    },
    "core-strengthening-for-back-pain": {
        "reviewer": "hannah-cole",
        "days_ago": 2,
        "sources": ["cochrane-exercise-2021", "foster-2018"],
    },
    "heat-or-ice-for-back-pain": {
        "reviewer": "samuel-adeyemi",
        "days_ago": 45,
        "interval_months": 2,
        "sources": ["cochrane-heat-2006", "acp-2017"],
    },
    "when-to-see-a-physiotherapist-chiropractor-or-doctor": {
        "reviewer": "samuel-adeyemi",
        "days_ago": 53,
        "sources": ["nice-ng59", "foster-2018", "nhs-back-pain"],
    },
}

# Key points (Post.key_points) of the longer articles, one line each.
KEY_POINTS = {
    "stress-management-techniques-for-soothing-back-pain": [
        "Stress makes muscles brace and sleep suffer, which can make back pain feel worse.",
        "Mindfulness, slow breathing and gentle yoga can turn down the volume of pain.",
        "A few minutes on most days helps more than a long session once a week.",
        "See a doctor if the pain follows an injury or comes with numbness, weakness or fever.",
    ],
    "sciatica-causes-symptoms-and-what-helps": [
        "Sciatica is pain along the sciatic nerve, from the lower back down the leg.",
        "A herniated disc pressing on a nerve root is by far the most common cause.",
        "Most people improve a lot within 4 to 6 weeks without any procedure.",
        "Keep moving gently: bed rest slows recovery.",
        "Numbness between the legs or loss of bladder control needs emergency care.",
    ],
    "herniated-disc-what-a-slipped-disc-really-means": [
        "Discs cannot slip: a herniation is soft disc material pushing through its outer ring.",
        "Many adults have disc bulges on a scan and no pain at all.",
        "Herniated material often shrinks by itself over weeks to months.",
        "Only a minority of people need surgery.",
    ],
    "first-48-hours-when-your-lower-back-goes": [
        "Sudden lower back pain is very common and rarely caused by anything serious.",
        "Keep moving little and often: bed rest slows recovery.",
        "Heat or cold and anti-inflammatory medicines can ease the first few days.",
        "Get help urgently for numbness between the legs, bladder problems or weak legs.",
    ],
    "waking-up-with-a-stiff-neck-torticollis": [
        "A stiff, painful neck on waking (wry neck) usually settles within a few days.",
        "Keep your neck moving gently within comfort, and use heat for the muscle spasm.",
        "See a doctor if it follows an injury or comes with fever, headache or arm symptoms.",
    ],
    "cervical-radiculopathy-pinched-nerve-in-the-neck": [
        "Pain shooting into one arm with pins and needles often means an irritated nerve root.",
        "Most people recover within weeks to months without surgery.",
        "Weakness in both arms or legs, or trouble walking, needs emergency care.",
    ],
}

# "When to get help" cards (blog.CareCard) of the condition articles: level -> signs, one per
# line. The back-pain red flags are those of NHS and NICE guidance (cauda equina syndrome,
# fracture, infection).
BACK_CARE = {
    "non-urgent": [
        "the pain is not starting to improve after 2 weeks of looking after yourself",
        "the pain stops you doing your day-to-day activities or keeps you awake",
        "the pain is very bad or keeps getting worse",
        "you are worried about the pain or struggling to cope",
    ],
    "urgent": [
        "you have numbness or tingling in one leg that is getting worse",
        "your leg or foot is getting weaker, or your foot catches or slaps when you walk",
        "you have back pain with a high temperature, feel unwell or have lost weight without trying",
        "you have had cancer and now have new back pain that is worse at night",
    ],
    "emergency": [
        "you have numbness or tingling between your legs or around your buttocks",
        "you have lost control of your bladder or bowels, or cannot pass urine",
        "you have weakness or numbness in both legs",
        "you have back pain after a serious fall, car accident or other injury",
        "you have back pain with a fever and feel very unwell",
    ],
}
NECK_CARE = {
    "non-urgent": [
        "the pain is not starting to improve after 2 weeks of looking after yourself",
        "the pain keeps coming back or stops you doing your usual activities",
        "you are worried about the pain or struggling to cope",
    ],
    "urgent": [
        "you have pins and needles, numbness or weakness in your arm or hand",
        "you have neck pain with a high temperature and feel unwell",
        "the pain is severe, constant and getting worse",
    ],
    "emergency": [
        "you have neck pain after a serious fall, car accident or blow to the head",
        "you have weakness or numbness in both arms or both legs, or trouble walking",
        "you have lost control of your bladder or bowels",
        "you have a stiff neck with a fever, a headache, a rash or light hurting your eyes",
    ],
}
CARE = {
    "sciatica-causes-symptoms-and-what-helps": BACK_CARE,
    "herniated-disc-what-a-slipped-disc-really-means": BACK_CARE,
    "first-48-hours-when-your-lower-back-goes": BACK_CARE,
    "waking-up-with-a-stiff-neck-torticollis": NECK_CARE,
    "cervical-radiculopathy-pinched-nerve-in-the-neck": NECK_CARE,
    "tech-neck-phones-laptops-and-your-neck": NECK_CARE,
}

PAGES = [
    {
        "url": "/about/",
        "title": "About Back & Neck",
        "content": """<p>Back &amp; Neck is an independent site with practical, evidence-based information about back and neck pain: what causes it, what helps, and when to get it checked.</p>
<h2>Why We Exist</h2>
<p>Back and neck pain are among the most common reasons people see a doctor or miss work, and most of us will have a bout at some point. There is no shortage of advice online, but much of it is alarming, contradictory or trying to sell something. We want to offer the calm, clear explanation you might get from a good physiotherapist with time to talk.</p>
<h2>How We Write</h2>
<ul>
<li>We base our articles on clinical guidelines and systematic reviews rather than single studies or anecdotes.</li>
<li>We write in plain language and explain medical terms when we use them.</li>
<li>We say when the evidence is uncertain, and we always point out the warning signs that need a clinician.</li>
<li>We review articles regularly and correct mistakes openly.</li>
</ul>
<h2>What We Don't Do</h2>
<p>We don't diagnose, we don't sell supplements, gadgets or treatment plans, and we don't publish sponsored content. Our articles are general information and are not a substitute for advice from someone who can examine you; please read our <a href="/medical-disclaimer/">medical disclaimer</a>.</p>
<h2>Get in Touch</h2>
<p>We'd love to hear which topics you would like us to cover, or where we could explain things better. See our <a href="/contact/">contact page</a>.</p>""",
    },
    {
        "url": "/contact/",
        "title": "Contact",
        "content": """<p>We read every message. The best way to reach us is by email at <a href="mailto:hello@backandneck.com">hello@backandneck.com</a>, and we aim to reply within a few working days.</p>
<h2>Write to Us About</h2>
<ul>
<li>Topics you would like us to cover</li>
<li>Mistakes, out-of-date information or broken links: please tell us the page and what you noticed</li>
<li>Questions about the newsletter or your data</li>
<li>Press and partnership enquiries</li>
</ul>
<h2>What We Can't Help With</h2>
<p>We can't give personal medical advice or comment on your symptoms, scans or treatment by email, because we can't examine you. Please speak to your GP, a physiotherapist or a pharmacist.</p>
<p><strong>If you have severe pain, numbness around the genitals or buttocks, new problems controlling your bladder or bowels, or weakness in your legs, seek urgent medical care now.</strong></p>""",
    },
    {
        "url": "/privacy-policy/",
        "title": "Privacy Policy",
        "content": """<p>We collect as little about you as we can, and we never sell or share it. This page explains what we keep and why. If you have a question, email <a href="mailto:hello@backandneck.com">hello@backandneck.com</a>.</p>
<h2>Reading the Site</h2>
<p>You can read every article without an account and without giving us any personal information. We don't use analytics services, advertising networks or third-party trackers, and we don't set cookies to follow you around the web.</p>
<p>To learn which topics people look for, we count the searches made on the site: the words searched and how often. We store these counts without your IP address, a cookie, or anything else that could identify you, so a search can never be linked back to a reader. In the same way we count how often each article is read, per day: a number per article, with no cookie, IP address or browser details kept.</p>
<h2>The Newsletter</h2>
<p>If you sign up for our newsletter, we keep your email address for one purpose only: sending you the newsletter.</p>
<ul>
<li><strong>Double opt-in:</strong> after you sign up we send one email asking you to confirm. Nothing else is sent until you do, so no one can subscribe you without your say-so.</li>
<li><strong>One-click unsubscribe:</strong> every newsletter has a link that unsubscribes you straight away, with no login and no questions asked.</li>
<li><strong>No tracking pixels:</strong> our emails contain no hidden images or pixels that report whether or when you opened them.</li>
<li><strong>Clicks counted, not people:</strong> links in the newsletter pass through our site, which adds one to that link's count and sends you on. Which subscriber clicked is never recorded. We also count which article readers were on when they signed up, as a number per article.</li>
</ul>
<p>We never sell, rent or share your address. If you would like us to delete it entirely, email us and we will.</p>
<h2>Cookies</h2>
<p>The site sets a small security cookie when you submit a form, such as the newsletter sign-up, to protect against forged requests. Editors who log in also get a session cookie. We use no other cookies.</p>
<h2>Writing to Us</h2>
<p>If you email us, we keep the conversation only as long as we need to answer you and deal with any follow-up.</p>
<h2>Your Rights</h2>
<p>You can ask us what we hold about you, ask us to correct it, or ask us to delete it, by emailing <a href="mailto:hello@backandneck.com">hello@backandneck.com</a>. If we ever change this policy in a way that affects you, we will say so here and, if you are a subscriber, in the newsletter.</p>""",
    },
    {
        "url": "/medical-disclaimer/",
        "title": "Medical Disclaimer",
        "content": """<p>The articles on Back &amp; Neck are for general information and education only. They are not a substitute for professional medical advice, diagnosis or treatment, and reading them does not create a relationship between you and any clinician.</p>
<h2>Always Ask a Professional</h2>
<p>Everyone's situation is different. Ask your doctor, physiotherapist or another qualified health professional about any medical condition, and before you start a new exercise programme, especially if you have had recent surgery or an injury, have osteoporosis, or are pregnant. Never ignore professional advice or delay seeking it because of something you have read here.</p>
<h2>When to Get Urgent Help</h2>
<p>Seek emergency medical care straight away if back or neck pain comes with any of the following:</p>
<ul>
<li>Numbness around the genitals, buttocks or inner thighs</li>
<li>New difficulty passing urine, or loss of bladder or bowel control</li>
<li>Weakness or numbness in both legs, or weakness that is getting worse</li>
<li>Pain after a serious fall or accident</li>
<li>A stiff neck with a fever, severe headache or rash</li>
<li>Chest pain, or feeling very unwell with a fever</li>
</ul>
<h2>Medicines</h2>
<p>Where we mention medicines, we do so in general terms. Check with a pharmacist or doctor that a medicine is suitable for you, and always follow the instructions that come with it.</p>
<h2>Accuracy and Links</h2>
<p>We work hard to keep our articles accurate and up to date, but medical knowledge changes and we can't guarantee that every page reflects the latest evidence. We are not responsible for the content of external sites we link to.</p>""",
    },
]
