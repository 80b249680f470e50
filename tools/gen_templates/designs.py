"""The built-in templates, one function each: what creators post most. Slots are counted in beats
of the template's sound; texts and stickers sit on beats too."""
from __future__ import annotations

from studio.model import EffectRef

from .build import TITLE_Y, Design, look


def beat_montage() -> Design:
    d = Design("beat-montage", "Photo dump on the beat", "Eight shots, a cut every two beats of an energetic "
               "house track: holiday pictures, a month in clips, the best of an event.", "montage",
               ("montage", "photo dump", "beat", "memories"), "neon-drive", "Photo dump #photodump #memories",
               effects=(look("vivid", 0.7),))
    spans = [d.slot(2, f"Shot {n}", "a photo or a lively moment") for n in range(1, 9)]
    d.text("title", "Title", "PHOTO DUMP", (0, spans[1][1]), style="bold_caps", y=TITLE_Y, size=1.3)
    d.text("caption", "Caption", "best bits of the month", (spans[4][0], spans[7][1]), style="highlight",
           anim_in="slide_up")
    d.sticker("sparkles_twinkle", (0, spans[7][1]), "upper_right", 0.2)
    return d


def before_after() -> Design:
    d = Design("before-after", "Before / After", "The same thing twice: faded before, bright after, the switch "
               "on the beat. Glow-ups, room makeovers, edits, renovations.", "transformation",
               ("before after", "glow up", "transformation", "makeover"), "funk-strut",
               "Wait for the after #beforeandafter #glowup")
    before = d.slot(8, "Before", "how it looked before", effects=(look("faded", 0.9),))
    after = d.slot(8, "After", "the result", effects=(look("vivid", 0.9),))
    d.text("before", "Before", "BEFORE", before, style="bold_caps", y=TITLE_Y, size=1.4)
    d.text("after", "After", "AFTER", after, style="bold_caps", y=TITLE_Y, size=1.4)
    d.sticker("sparkles", after, "lower_right")
    return d


def day_in_my_life() -> Design:
    d = Design("day-in-my-life", "A day in my life", "Morning to night in five moments, each with its time of "
               "day, on a sunny pop track.", "vlog", ("day in my life", "vlog", "routine", "daily"), "sunny-pop",
               "A day in my life #dayinmylife #vlog", effects=(look("warm", 0.6),))
    spans = [d.slot(4, label, hint) for label, hint in (
        ("Morning", "waking up, the first coffee"), ("Getting going", "on the way, getting ready"),
        ("Midday", "work, class, lunch"), ("Afternoon", "what made the day"), ("Evening", "the day winding down"))]
    d.text("title", "Title", "a day in my life", spans[0], style="handwriting", y=TITLE_Y, size=1.5)
    for n, (span, words) in enumerate(zip(spans[1:], ("8:00 getting ready", "12:30 lunch break",
                                                      "16:00 the good part", "21:00 winding down")), start=1):
        d.text(f"moment-{n}", f"Moment {n}", words, span, style="label_dark", anim_in="slide_up")
    d.sticker("sun", spans[0], "upper_right")
    return d


def tutorial_3_steps() -> Design:
    d = Design("tutorial-3-steps", "3-step tutorial", "Show the result, then three numbered steps. Keeps your "
               "voice: the lo-fi bed plays under it.", "tutorial", ("tutorial", "how to", "steps", "diy"),
               "lofi-study", "How to do it in 3 steps #tutorial #howto", clip_volume=1.0, music_db=-12.0)
    intro = d.slot(4, "The result", "what you will make")
    steps = [d.slot(4, f"Step {n}", f"step {n} in action") for n in (1, 2, 3)]
    d.text("title", "Title", "How to do it in 3 steps", intro, style="classic", y=TITLE_Y, size=1.2)
    for n, (span, words) in enumerate(zip(steps, ("get everything ready", "do the main part",
                                                  "finish and show it")), start=1):
        d.text(f"step-{n}", f"Step {n}", f"{n}. {words}", span, style="bubble", anim_in="bounce")
    d.sticker("arrow_down", intro, "lower_right", 0.2)
    d.sticker("check", steps[2], "upper_right", 0.2)
    return d


def product_demo() -> Design:
    d = Design("product-demo", "Product demo", "A hook, three features and a call to action, cut on a driving "
               "beat.", "product", ("product", "demo", "review", "shop"), "neon-drive",
               "You need this #productreview #musthave", effects=(look("teal_orange", 0.5),))
    hook = d.slot(4, "The product", "the product in one shot")
    features = [d.slot(4, f"Feature {n}", f"feature {n} in use") for n in (1, 2, 3)]
    cta = d.slot(4, "Call to action", "the product once more", medium=0)
    d.text("product", "Product", "Meet the thing you need", hook, style="classic", y=TITLE_Y, size=1.2)
    for n, (span, words) in enumerate(zip(features, ("it does this", "and this", "and even this")), start=1):
        d.text(f"feature-{n}", f"Feature {n}", words, span, style="highlight", anim_in="slide_up")
    d.text("cta", "Call to action", "Link in bio", cta, style="bold_caps", y=TITLE_Y, size=1.2)
    d.sticker("label_new", hook, "upper_right")
    d.sticker("arrow_swipe_up", cta, "lower_right", 0.2)
    return d


def countdown_top5() -> Design:
    d = Design("countdown-top5", "Top 5 countdown", "A title and five places counted down from 5 to 1 on a trap "
               "beat.", "list", ("list", "countdown", "top 5", "ranking"), "night-trap",
               "My top 5 #top5 #ranking", effects=(look("dramatic", 0.6),))
    intro = d.slot(4, "Intro", "what the list is about")
    places = [d.slot(4, f"Number {n}", f"number {n}") for n in (5, 4, 3, 2, 1)]
    d.text("title", "Title", "My top 5", intro, style="neon", y=TITLE_Y, size=1.4)
    for n, span in zip((5, 4, 3, 2, 1), places):
        d.text(f"number-{n}", f"Number {n}", f"#{n} your pick", span, style="bold_caps", y=TITLE_Y, size=1.2)
    d.sticker("fire", places[-1], "upper_right")
    return d


def recipe() -> Design:
    d = Design("recipe", "Quick recipe", "The finished dish first, then what you need, two steps and the "
               "first bite, on a warm acoustic track.", "food", ("recipe", "food", "cooking", "easy"),
               "porch-acoustic", "Easy recipe #recipe #foodtok", effects=(look("warm", 0.7),))
    dish = d.slot(4, "The dish", "the finished dish")
    need = d.slot(4, "Ingredients", "everything you need")
    steps = [d.slot(4, f"Step {n}", f"cooking step {n}") for n in (1, 2)]
    bite = d.slot(4, "First bite", "the first bite")
    d.text("title", "Title", "15-minute pasta", dish, style="serif", y=TITLE_Y, size=1.3)
    d.text("ingredients", "Ingredients", "you need: pasta, garlic, lemon", need, style="subtitle",
           anim_in="slide_up")
    d.text("step-1", "Step 1", "1. boil and stir", steps[0], style="bubble")
    d.text("step-2", "Step 2", "2. toss it all together", steps[1], style="bubble")
    d.text("ending", "Ending", "so good", bite, style="handwriting", y=TITLE_Y, size=1.5)
    d.sticker("heart_red", bite, "lower_right")
    return d


def travel() -> Design:
    d = Design("travel", "Travel reel", "Six quick shots on the beat and a long last view, with the place as "
               "the title, on a cinematic rise.", "travel", ("travel", "trip", "holiday", "wanderlust"),
               "epic-rise", "Take me back #travel #wanderlust", effects=(look("teal_orange", 0.6),))
    shots = [d.slot(2, f"Shot {n}", "a place, a street, a view") for n in range(1, 7)]
    last = d.slot(4, "The view", "the best view of the trip")
    d.text("place", "Place", "LISBON", (0, shots[1][1]), style="elegant", y=TITLE_Y, size=1.6)
    d.text("ending", "Ending", "where next?", last, style="handwriting", size=1.4)
    d.sticker("star_gold", last, "upper_right", 0.18)
    return d


def quote() -> Design:
    d = Design("quote", "Quote", "Your words over three calm, slow shots with a soft look and a piano bed.",
               "quote", ("quote", "motivation", "calm", "words"), "still-water",
               "Words to keep #quote #motivation",
               effects=(look("pastel", 0.7), EffectRef("vignette", {"strength": 0.4})))
    shots = [d.slot(4, f"Shot {n}", "a calm, slow picture") for n in (1, 2, 3)]
    d.text("quote", "Quote", "Slow progress is still progress.", (0, shots[2][1]), style="serif", y=0.42,
           size=1.25, anim_in="fade")
    d.text("author", "Author", "- you, probably", (shots[1][0], shots[2][1]), style="subtitle", y=0.58,
           anim_in="fade")
    return d


def reaction() -> Design:
    d = Design("reaction", "Reaction", "The video, your face, the video, your face: cut on the beat, with both "
               "sounds kept under a funky bed.", "reaction", ("reaction", "react", "funny", "duet"), "funk-strut",
               "I did not expect that #reaction #funny", clip_volume=1.0, music_db=-12.0)
    video = d.slot(6, "The video", "what you react to", medium=0)
    you = d.slot(4, "Your reaction", "your face watching it", medium=1)
    d.slot(4, "The video", "what you react to", medium=0)  # the video again, where it went on
    you_again = d.slot(4, "Your reaction", "your face watching it", medium=1)
    d.text("setup", "Setup", "wait for it...", video, style="label_dark", y=TITLE_Y)
    d.text("reaction", "Reaction", "I did NOT expect that", you_again, style="bold_caps", y=TITLE_Y, size=1.2)
    d.sticker("bubble_omg", you, "upper_right")
    d.sticker("face_laugh", you_again, "lower_right", 0.2)
    return d


DESIGNS = [beat_montage, before_after, day_in_my_life, tutorial_3_steps, product_demo, countdown_top5, recipe,
           travel, quote, reaction]
