"""The explainable half of urgent detection: word rules for danger now.

A message reads as urgent when it carries a **danger signal** (suicidal intent
said in any of the ways people say it, an injury, a threat, a child alone, a
person missing, cutting or a marriage abroad, exploitation, a weapon, a body
that will not wake) and nothing shows that the danger is **not present**:

- *past and over*: "ten years ago", "in 2016", "as a child", "is now settled",
  "was dealt with" — unless a cue of immediacy is also there ("tonight",
  "this weekend", "is outside now");
- *about the topic, not a person*: training, lessons, policies, research,
  "what are the signs of…", "if a child…", reviews of a past death;
- *a question with no situation in it*: "is forced marriage a crime?";
- *a question about the procedure around it*, asked last and with nothing present: how it
  is classed ("what threshold level would that be?"), the record or form and who has it,
  the outcome, another agency's part, timescales, consent, who may know (`procedure_not_danger`) —
  never for someone missing or suicidal intent, and for a weapon or a medical emergency only when
  told as over ("had a seizure last week… what goes in his care plan?"); also what follows for someone named by a
  harm told as done, with nobody reported saying anything and nothing in the present tense ("what happens to the
  dad who hit his kid, does he get arrested?", "does the LADO deal with a dinner lady who grabbed a pupil",
  `AFTERMATH_ASKED`);
- *a pattern or a trait asked about, not an episode*: "keeps going missing, who chairs the strategy
  meeting?", "a girl who self-harms wants to go on the residential" (`_only_as_a_pattern`), marks that have
  healed ("her old self-harm scars show in PE"), and people in general in the simple present ("students who
  carry knives for protection");
- *someone named by a past episode*, with nothing of now in the rest ("mum who slapped her son last year is
  volunteering at the fair", `_NAMED_BY_A_PAST_EPISODE`), or by a past harm with no time word when the rest is an
  everyday step ("dad who was violent to his ex wants to join the PTA", `_NAMED_BY_A_PAST_HARM`); someone who did
  harm within reach again is not past (`ABUSER_WITHIN_REACH`); *a danger told as over*: someone missing back, a weapon
  taken away (`_resolved`), an incident named by its day, help had since ("…but is seeing CAMHS now").

Some signals are urgent whatever the framing unless one of the above applies
(suicidal intent, a body not breathing).

A question's frame covers its own clause: when a message reads as a question as a
whole, its parts are read again one by one (`rule_verdict`), so a report beside
the question ("…? boy is fitting in the playground") still counts, and "what's the
procedure?" at the end of a report does not make it a question about the topic.
Weak cues of the present ("still", "keep") count only in what is reported, not in
what is asked. A question with no danger word and nothing present is marked
(`RuleVerdict.procedure_question`) so that the meaning detector can weigh it apart.

Every decision names the rule that made it (`reason`), never the user's words.
The rules are a floor that needs no model; `bot.qa.urgent` ORs them with the
meaning detector in `bot.qa.urgent_model`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Who a threat is aimed at: a person, not "my printer".
_VICTIM = (r"(?:him|her|them|me|you|us|(?:his|her|their|my|your|the|our) (?:\w+ )?(?:mum|mom|mummy|mother|dad|daddy|"
           r"father|sister|brother|baby|babies|kids?|child|children|son|daughter|wife|husband|partner|family|"
           r"girlfriend|boyfriend|nan|gran|grandma|grandad|friend|pet|dog))\b")
_SELF = r"(?:him|her|them|my|your|our)sel(?:f|ves)"

# Someone who did harm, or an offender convicted or banned, within reach again: "the man who abused her last year is
# back in the area", "sex offender who was banned from contact is living with the family again", "the uncle she
# disclosed about has moved back in" (urgent_tune14); the one harmed ("who was being exploited is now living with his
# nan") is not meant. A danger, and a cue of now that a past time word in the clause
# naming them does not cancel; someone wanting to join or help at something is not within reach (see
# `_NAMED_BY_A_PAST_HARM`).
ABUSER_WITHIN_REACH = (
    r"\b(?:sex offender|paedophile|pedophile|abuser|perpetrator|(?:who|that) (?:(?!(?:was|were|been|being|got|is|"
    r"are)\b)[\w']+ ){0,2}?(?:abused|raped|"
    r"groomed|molested|touched|assaulted|attacked|beat|strangled|hurt|stabbed|exploited|trafficked)\b|"
    r"(?:she|he|they|i) disclosed (?:about|against)|(?:who|that) (?:was|were|got) (?:sacked|dismissed|convicted|"
    r"jailed|banned|barred|arrested|charged) (?:for|from)\b)[^.?!;]{0,60}?\b(?:is|'s|are|'re|has|have)(?: now| just)? "
    r"(?:back (?:in|at|on|living|home|with|round|around|near)|moved (?:back )?in|turned up|been seen|outside|living "
    r"(?:with|in|at|next door)|staying (?:with|at|in)|hanging (?:round|around|about)|coming (?:round|over|to (?:pick|"
    r"collect|get|see|take)))\b")

# A child kept from the other parent ("won't bring him back", "refused to return my son", "hasn't returned the kids",
# "collected her without permission", "who has no contact rights")…
_CHILD = (r"(?:him|her|them|(?:my|our|his|her|their|the) (?:\w+ )?(?:son|daughter|child|kids|children|baby|boy|girl|"
          r"little ones))")
_NOT_RETURNED = (rf"\b(?:won'?t|wont|will not|refus\w* to|not going to|isn'?t going to|hasn'?t|has not|haven'?t|"
                 rf"didn'?t|did not|never) (?:bring(?:ing)?|brought|return(?:ed|ing)?|giv(?:e|en|ing)) {_CHILD} back\b"
                 rf"|\b(?:refus\w* to return|hasn'?t returned|has not returned|haven'?t returned|not returned|"
                 rf"won'?t return|isn'?t returning|not returning) {_CHILD}"
                 r"|\bwithout (?:permission|consent|(?:my|mum'?s|dad'?s|the other parent'?s) (?:permission|consent))"
                 r"|\b(?:has|with) no (?:contact|parental) (?:rights|responsibility)\b"
                 r"|\b(?:has|have|'s|'ve) taken (?:my|our) (?:\w+ )?(?:son|daughter|child|kids|children|baby|boy|"
                 r"girl)\b")
# …taken away, abroad or out of reach ("driving to the airport", "getting a flight to turkey", "leaving the country").
_AWAY = (r"\b(?:airport|flight|fly(?:ing)? (?:out|to|abroad|back)|plane|ferry|border|abroad|overseas|out of the "
         r"country|leaving the country|leave the country)\b|\b(?:they'?ll|will) be in \w+ by\b")

# An everyday object turned on someone, whatever the object: no word list of weapons holds the scalpel, chisel,
# golf club or broken bottle that spot checks found missed (urgent_tune18). Read as a construct: a verb of
# brandishing, holding, pressing or swinging, any object, then at/to/against/into a person or a body part
# ("waving a scalpel at the girl who…", "a chisel held to his mate's throat", "swung a chair into the TA's back").
# Things held for comfort, care or fun are not turned on anyone ("the ice pack to his head", "his water bottle at
# his mum", "the flag at the crowd"), nor is a thing aimed at a thing ("the scissors at the worksheet").
# "her" is a person only where no noun follows ("swung a chair into her", not "pressed the money into her hand").
_HER = (r"her(?=\s*$|\s*[,.!?;]| (?:and|with|in|on|at|while|when|as|because|so|but|again|until|till|then|to|for|"
        r"from|over|before|after|across|outside|near|behind|round|around|if|saying|shouting|screaming|telling)\b)")
_PERSON = (rf"(?:him|{_HER}|them|me|us|you|staff|people|everyone|everybody|someone|somebody|anyone|parents|kids|"
           r"children|pupils|students|teachers|others|(?:the|a|an|another|other|his|her|their|my|our|your|"
           r"one of the|some|two|three) (?:\w+ ){0,2}?(?:girl|boy|kid|child|children|pupil|student|teacher|ta|"
           r"coach|ref|referee|mate|friend|parent|mum|mom|dad|man|men|woman|women|lady|ladies|lad|lass|staff|"
           r"colleague|carer|worker|driver|receptionist|volunteer|head|headteacher|brother|sister|son|daughter|baby|"
           r"toddler|partner|wife|husband|girlfriend|boyfriend|neighbour|nurse|officer|technician|resident|client|"
           r"guy|bloke|player|classmate|tutor|caretaker|cleaner|guard|year \d+)(?:s|es)?)")
_BODY = r"(?:neck|throat|wrists?|eyes?|face|head|temple|chest|stomach|belly|tummy|ribs|back|cheek|mouth)"
_LIMB = r"(?:legs?|(?:fore)?arms?|knees?|shins?|thighs?|skin|side|groin)"  # struck or dug into
_WHOSE = r"(?:his|her|their|my|your|(?:his|her|their|my|your) own|(?:(?:the|a|an|another) )?(?:\w+ )?\w+'s)"
_NOT_TURNED_ON = (r"(?!(?:\w+ ){0,2}?(?:ice|packs?|flannel|cloth|tissues?|towel|plasters?|bandages?|dressing|"
                  r"compress|phones?|mobile|hands?|fingers?|fists?|arms?|baby|babies|mic|microphone|stethoscope|"
                  r"thermometer|cream|flags?|water bottle|glow ?sticks?|pom ?poms?|signs?|banners?|posters?|cards?|"
                  r"tickets?|programmes?|camera|torch|mirror|sponge|hanky|hankie|teddy|toy|ear ?phones|headphones|"
                  r"medal|trophy|certificate|stopwatch|whistle|go|pop|word|chat|laugh|look|grudge)\b)")
_TURNED_ON = (rf"(?:(?:at|towards|into) (?:{_PERSON}\b(?!')|{_WHOSE} {_BODY})|(?:to|against|in) {_WHOSE} {_BODY}|"
              rf"into {_WHOSE} {_LIMB}|over (?:(?:the|a|an|another) )?(?:\w+ )?\w+'s head)\b")
# "a chisel", "his walking stick", "the point of a compass", or a bare plural ("holding scissors to a girl's neck")
_A_THING = (rf"(?:a|an|the|his|her|their|my|this|that|some) {_NOT_TURNED_ON}(?:pair of |piece of |bit of )?"
            rf"(?:\w+ ){{0,2}}(?:of (?:a|an|the|his|her|their|my) (?:\w+ ){{1,2}})?")
_AN_OBJECT = rf"(?:{_A_THING}|{_NOT_TURNED_ON}(?:\w+s|it) )"
_OBJECT_TURNED_ON = [
    rf"\b(?:wav(?:e|es|ed|ing)|brandish\w*|wield\w*|point(?:s|ed|ing)?|swing(?:s|ing)?|swung|jab(?:s|bed|bing)?|"
    rf"thrust\w*|hold(?:s|ing)?|held|press(?:es|ed|ing)?|put(?:s|ting)?|rais(?:e|es|ed|ing)|aim(?:s|ed|ing)?|"
    rf"stick(?:s|ing)?|stuck|jam(?:s|med|ming)?|dig(?:s|ging)?|dug|got) {_AN_OBJECT}(?:up )?{_TURNED_ON}",
    rf"\b{_A_THING}(?:held|pressed|pointed|put|jammed|stuck|aimed) (?:up )?{_TURNED_ON}",
    # someone rushed with one: "a dad came at the teacher with a spanner", "went for the coach with a cricket stump"
    rf"\b(?:came|come|comes|coming|went|goes|going|lunged|lunging|ran|running|charged|charging|rushed|rushing) "
    rf"(?:at|for|towards) {_PERSON} with {_A_THING}\w+",
]
# Someone threatening a person with, or while holding, an object ("turned up at the club with a mallet threatening
# the coach", "threatening the PE teacher with a cricket bat"); not a threat of a complaint, a sanction or the law.
_NOT_A_THING = (r"(?!(?:\w+ ){0,2}?(?:solicitors?|lawyers?|legal|court|complaints?|tribunal|ofsted|press|police|"
                r"detentions?|exclusions?|sanctions?|letters?|emails?|reports?|fines?|eviction|sack|dismissal|"
                r"disciplinary|suspension|referrals?|consequences|action|grievance|petition|social|bad|list|questions?|"
                r"camera|phone|video|recording|placard|clipboard|smile)\b)")
_THREATENING = r"threat(?:en|ens|ened|ening)\b(?! to\b)"
_HOLDING = r"(?:with|while holding|holding|carrying|waving|brandishing|wielding|got|has)"
_THREAT_WITH_AN_OBJECT = [
    rf"\b{_THREATENING} (?:[\w']+,? ){{1,6}}?{_HOLDING} (?:a|an|the|his|her|their|some) {_NOT_A_THING}\w+",
    rf"\b{_HOLDING} (?:a|an|his|her|their|some) {_NOT_A_THING}(?:\w+ ){{1,3}}(?:[\w']+,? ){{0,6}}?{_THREATENING}",
]
# A note found or left while its writer is now not where they should be ("found a letter in her locker and she's
# not in registration", "the note says don't look for me, he's not in his room"): unaccounted for, not a past note.
_NOTE = (r"(?:\b(?:found|find|finds|left|leaves|discovered|wrote|written|writing)\b.{0,40}\b(?:note|letter)s?\b|"
         r"\b(?:note|letter)s?\b.{0,60}\b(?:found|left|says|said|saying|reads)\b)")
_ABSENT = (r"\b(?:(?:(?:is|was|has|have)n'?t|is not|was not|not|never|(?:has|have)n'?t been|has not been) (?:in|at) "
           r"(?:registration|reg|form|tutor(?: time| group)?|class|lessons?|school|college|work|(?:any of )?(?:his|her|"
           r"their) (?:lessons|classes|room|bed))|(?:hasn'?t|has not|haven'?t|didn'?t|did not|never) (?:turned up|"
           r"come in|shown up|arrived|come to (?:school|form|class|registration|college))|(?:isn'?t|is not|not|won'?t) "
           r"(?:answering|picking up)|phone(?:'s| is)? (?:off|dead|switched off)|(?:nobody|no one|no-one) knows where|"
           r"(?:nobody|no one|no-one)(?:'s| has) seen|can'?t find|not been seen)\b")
_NOTE_AND_ABSENT = rf"{_NOTE}.{{0,200}}{_ABSENT}|{_ABSENT}.{{0,200}}{_NOTE}"

# Signals grouped by what they mean; the group name is the reason a decision gives.
_SIGNALS: dict[str, list[str]] = {
    "suicidal intent": [
        r"suicid\w*", rf"kill(?:ing)? {_SELF}", rf"top(?:ping)? {_SELF}", r"\bend (?:it all|things)\b",
        r"end(?:ing)? (?:his|her|their|my) (?:own )?life", r"take (?:his|her|their|my) (?:own )?life",
        r"\b(?:want|wants|wanted|wanna|wanting|going|gonna|trying) (?:to )?die\b",
        r"\b(?:don'?t|doesn'?t|does not|do not|didn'?t|did not|not) (?:want|wanna) (?:to )?"
        r"(?:be alive|live|be here|exist|wake up|be around)",
        r"\bnot (?:to )?wake up\b", r"better off (?:dead|without)",
        r"\bno (?:reason|point) (?:for (?:me|him|her|them) )?(?:to )?"
        r"(?:be here|be alive|live|carry on|go on|keep going)\b",
        r"\bno point (?:in )?(?:living|anymore|any more|"
        r"going on|to (?:it|life|anything))", r"\bnothing (?:left )?to live for", r"\bdone with (?:life|living)",
        r"can'?t (?:do|take|cope with|go on with) (?:this|it|life)(?: any ?more)?\b(?! job)", r"can'?t go on\b",
        r"\brather (?:be )?dead\b", r"\bwish(?:es|ed)? (?:i|he|she|they) (?:was|were) dead",
        r"never been born", r"(?:goodbye|suicide) (?:note|letter|message|text)", r"said (?:his|her|their) goodbyes",
        r"\bsaying goodbye\b", r"\bsorry for everything\b",
        r"\bthanks? (?:you )?for everything\b(?=.{0,40}\b(?:sorry|goodbye|bye|love you)\b)",
        r"(?:posted|said|sent|wrote|texted|messaged) (?:a )?goodbye", r"\bleft a note\b",
        r"\bnoose\b", r"\brope\b", rf"hang(?:ing|ed)? {_SELF}",
        # a method named with intent: "going to walk in front of a train", "she'd drink it" of bleach, "going to
        # drive his car into the river" (urgent_tune15)
        r"\b(?:walk|step|run|throw (?:him|her|them|my)sel(?:f|ves)|lie down|lay down) in front of (?:a |the )?(?:\w+ )?"
        r"(?:train|car|bus|lorry|truck|traffic)\b",
        r"\bbleach\b.{0,60}\b(?:drink|drinking|swallow|swallowing)\b|\b(?:drink|drank|drunk|drinking|swallow\w*) "
        r"(?:some |the )?bleach\b",
        r"\b(?:going to|gonna|'ll|will|wants? to|threaten\w* to) (?:drive|crash|steer) (?:his|her|their|my|the) "
        r"(?:\w+ )?(?:car|van) (?:into|off)\b",
        r"jump(?:ing|ed)? (?:off|from|in front of)",
        r"\b(?:on|at) the (?:\w+ ){0,2}(?:edge|ledge|roof|railway|tracks|bridge|cliff)\b",
        r"\bhose ?pipe\b", r"\bexhaust (?:pipe|fumes)\b", r"\bcar fumes\b",
        r"disappear for good", r"\b(?:going|gonna|wants?|wanted|wanna|trying) to end it\b",
        r"not (?:be )?(?:here|around) (?:tomorrow|any ?more)",
        r"won'?t be a burden", r"do (?:something|smth|sth|summat) stupid", r"where the nearest (?:cliff|bridge)",
        r"how many (?:paracetamol|pills|tablets)",
        r"(?:pills|tablets|meds|medication|paracetamol) (?:are |is |'re )?(?:all )?"
        r"(?:lined up|ready|counted out|laid out|out on the)",
        r"stockpil\w*", r"sav(?:ing|ed|es|e) (?:up )?(?:all )?(?:his|her|their|my) (?:meds|pills|"
        r"tablets|medication)", r"take (?:them )?all at once", r"goodbye,",
        r"tired of (?:living|life|being alive)", r"sleep (?:forever|and never wake)", r"never wake up",
        r"what happens when (?:you|we) die", r"had enough of (?:everything|life|it all)",
        r"\blast (?:post|message|text|msg)\b",
        r"won'?t be (?:here|around)\b", r"\bwhat'?s the point\b", r"\bwhats the point\b",
        r"nobody (?:would|will) (?:even )?(?:notice|care|miss)", r"\bligature\b",
        r"tied (?:something|a \w+|(?:his|her|their) \w+) (?:round|around) (?:his|her|their) neck",
        # saying goodbye by deed: letters to the family, belongings given away
        r"(?:written|wrote|writing|left) (?:\w+ )?(?:letters?|notes?|cards?) (?:to|for) (?:his|her|their|my) (?:family|"
        r"mum|mom|dad|parents|friends|kids|children|sister|brother)",
        r"(?:giv(?:e|es|en|ing)|gave) away (?:all )?(?:his|her|their|my|most of (?:his|her|their|my)) (?:\w+ )?"
        r"(?:stuff|things|belongings|possessions|jewellery|jewelry|pets?|dog|cat|games|clothes|money|savings)\b",
        r"(?:giv(?:e|es|en|ing)|gave) (?:all )?(?:of )?(?:his|her|their|my) (?:\w+ )?(?:stuff|things|belongings|"
        r"possessions|jewellery|jewelry|pets?|dog|cat|games|clothes|savings) (?:away|to (?:a |his |her |their )?"
        r"(?:friends?|mates?|everyone|people))\b",
        r"(?:giv(?:e|es|en|ing)|gave) (?:\w+ )?(?:stuff|things|belongings|possessions) away",
        r"walk(?:ed|ing)? into the (?:sea|river|"
        r"traffic|road)", r"\bdrown\w*",
        # belongings they "won't need", others "happier if she wasn't around", goodbyes posted to everyone
        r"\b(?:won'?t|wont|will not|not going to|isn'?t going to|is not going to) (?:be )?need(?:ing)? (?:it|them|this|"
        r"that|these|those|(?:his|her|their|my) \w+) (?:any ?more|after|where|soon|again)\b",
        r"\b(?:better|happier|easier) (?:off )?if (?:i|he|she|they) (?:wasn'?t|wasnt|weren'?t|werent|was not|were not) "
        r"(?:around|here|alive|born)\b",
        r"\b(?:better|happier|easier) (?:off )?if (?:i|he|she|they)(?:'d| had)? (?:died|was dead|were dead|was gone|"
        r"were gone|disappeared)\b",
        r"(?:written|wrote|writing|left) (?:\w+ )?(?:letters?|notes?|cards?) (?:to|for) (?:everyone|"
        r"everybody|all of us|each of us|all (?:his|her|their|my) (?:friends|family))\b",
        r"\b(?:good)?bye (?:everyone|everybody|all|world|guys|every1)\b", r"\bit'?s been real\b",
        r"\bfinish (?:it all|everything)\b",
        r"\bfor (?:(?:her|his|their|my) (?:family|mum|mom|dad|parents|friends|sister|brother) )?after\b(?!\s+(?:school|"
        r"work|the|lunch|dinner|tea|christmas|half|\w+day|\d+|that|this|we|i|he|she|they|it|a|an|my|his|her|their)\b)",
        r"\b(?:not|never) (?:to )?(?:feel anything|wake up|exist) (?:\w+ )?again\b", r"\bquickest (?:way|method) to\b",
        r"\bpainless (?:way|death)\b",
        r"\b(?:this|today|tonight|tomorrow|friday|the weekend|(?:this|next) (?:week|weekend)|\w+day) (?:is|will be|'s) "
        r"(?:his|her|their|my) last\b",
        r"\b(?:his|her|their|my) last (?:day|night|week|weekend)\b(?! (?:at|of|in|before))",
        r"\bwon'?t have to (?:worry about|deal with|put up with|look after) (?:me|him|her|them)\b",
        r"how many (?:of )?(?:\w+'?s? ){0,2}(?:paracetamol|pills|tablets|meds)\b.{0,30}\b(?:take|kill|enough)\b",
        r"\b(?:pills|tablets|paracetamol|meds) (?:it would|it'?d|would it) take\b",
        r"\b(?:be with|join|see) (?:\w+ ){0,3}in heaven\b", r"\bgo to heaven\b",
        _NOTE_AND_ABSENT,
    ],
    "self-harm": [
        r"self[- ]?harm\w*", rf"(?:cut|cuts|cutting|burn|burns|burning|hurt|hurting|harm|harming) {_SELF}",
        r"(?:fresh|deep|new) (?:cuts|scratches|wounds)", r"overdos\w*",
        r"(?:took|taken|take|swallowed|swallow|drank|drunk|downed) .{0,30}(?:pills|tablets|paracetamol|meds|"
        r"medication|bleach|batteries|overdose)", r"\bblade\b", r"\brazors?\b", r"banging (?:his|her|their) head",
        r"punching the wall",
        r"\bslic(?:e|ed|es|ing)\b(?! (?:of|bread|pizza|cake|apple|fruit))", r"\bslit (?:his|her|their|my) wrists?\b",
        r"\bwrists? (?:all )?(?:cut|sliced|slashed|bleeding)\b",
        r"\bscratch\w* (?:at )?(?:his|her|their|my) (?:arms?|legs?|wrists?|skin|thighs?)\b",
        r"(?:took|taken|take|swallowed|swallow|downed) .{0,30}(?:antidepressants|painkillers|sleeping pills|ibuprofen|"
        r"co-?codamol|insulin)",
        # harm done to oneself on purpose: "has just cut his arm deliberately"
        r"\b(?:cut|cuts|cutting|burnt|burned|burns|burning|scratch\w*|slash\w*|hurt|hurts|hurting) "
        r"(?:his|her|their|my) (?:own )?(?:\w+ )?(?:arms?|wrists?|legs?|thighs?|stomach|skin|face|hands?) (?:\w+ )?"
        r"(?:deliberately|on purpose|intentionally)\b",
        r"\b(?:deliberately|on purpose|intentionally) (?:cut|cuts|cutting|burnt|burned|burns|burning|scratch\w*|"
        r"slash\w*|hurt|hurts|hurting) (?:his|her|their|my)\b",
        # an overdose by injection: the meaning detector alone caught "she's injected all her insulin on purpose"
        r"\binject(?:ed|ing|s)? (?:(?:his|her|their|my) )?(?:all|too much|the whole|a whole|loads|lots|extra)\b.{0,25}"
        r"\b(?:insulin|meds|medication|drugs)\b",
    ],
    "medical emergency": [
        r"\bneeds? (?:a |an |to go to (?:the )?|to be (?:in|at) )?(?:hospital|ambulance|a&e|paramedics?)\b",
        r"unconscious", r"not breathing", r"struggling to breathe",
        r"\b(?:won'?t|will not|wont|can'?t|cannot|doesn'?t|does not|isn'?t|not) stop(?:ping)? bleeding\b",
        r"\b(?:lips|face) (?:look |looks |are |is |has |have )?(?:gone |going |turning |turned )?(?:blue|grey|gray)\b",
        r"\bslumped\b", r"can'?t (?:rouse|wake)", r"stopped breathing", r"going blue", r"\bcollapsed\b",
        r"not respond\w*", r"isn'?t respond\w*", r"unresponsive", r"\bfitting\b", r"seizure", r"passed out",
        r"\bfloppy\b", r"head injur\w*", r"hit (?:his|her|their) head", r"won'?t wake", r"can'?t wake",
        r"\bbeing sick\b", r"\bon the floor\b",
        r"\b(?:lying|lay|fallen|fell|collapsed|stuck|found) on (?:the|her|his|their|my) (?:\w+ )?floor\b",
        r"lying still", r"barely (?:awake|conscious|breathing)",
        r"breathing (?:is )?(?:really |very )?(?:weird|funny|strange|shallow|fast|noisy|rattly|raspy|laboured|labored"
        r")", r"really sleepy", r"\bhigh on\b",
        r"\bdrowsy\b", r"\b(?:this|so|very|too) sleepy\b",
        r"\b(?:gone|going|turned|turning) (?:a )?(?:funny|strange|weird|odd) colou?r\b",
        r"\b(?:is|was|gone|went|going|seems|looks|feels|and|really|very|all) limp\b|\blimp and\b",
        r"\bhard to (?:wake|rouse)\b",
        r"\b(?:stopped|not|isn'?t|hasn'?t been|hasn'?t|refus\w*) tak(?:ing|en)? (?:her|his|their) insulin\b",
        r"\b(?:took|taken|swallowed) something\b(?! (?:from|off|out))",
        # a knock to the head, then sickness or drowsiness
        r"\bhead\b.{0,80}\b(?:vomit\w*|being sick|been sick|throwing up|drowsy|sleepy|confused)\b",
        r"\b(?:vomit\w*|being sick|throwing up)\b.{0,60}\bhead\b",
        r"\beyes (?:look|looks|are|went|have gone|gone|keep) (?:\w+ )?(?:weird|funny|strange|glazed|odd|rolling|"
        r"different sizes)\b",
        r"\b(?:\d+|a|one|two|three|few|six) ?(?:-| )?(?:week|wk|month)s? old\b.{0,80}\b(?:not (?:feeding|"
        r"want\w* (?:any )?"
        r"(?:milk|feeds?|bottle)|taking (?:any )?(?:milk|feeds?|bottle))|won'?t (?:feed|take (?:a |the |any )?(?:bott"
        r"le|milk|"
        r"feed))|feels? (?:cold|floppy|hot)|sleep\w* all day|not been feeding)",
    ],
    "violence or threat": [
        r"\b(?:'ll|will|would|gonna|going to|said he'?d|said she'?d|threaten\w* to) (?:kill|batter|hurt|beat|stab|jump|"
        rf"shank|finish|smash|burn|attack|get|do|come after|send|share|hit|throw) {_VICTIM}",
        r"\b(?:'ll|will|would|gonna|going to) (?:break|smash|cut) (?:his|her|their|your|my) (?:legs?|arms?|neck|face|"
        r"head|fingers?|teeth)",
        r"\b(?:'ll|will|would|gonna|going to) (?:tell|send) (?:everyone|her parents|his parents|"
        r"the school)",
        r"\bget (?:shanked|stabbed|hurt|battered|beaten|killed|done in)",
        r"\b(?:waiting|out|coming|looking) (?:\w+ ){0,8}to (?:get|jump|batter|beat|hurt|stab|shank|do) "
        r"(?:him|her|them|me)\b",
        # not a threat to complain: "threatening to go to the press", "threatened us with a solicitor"
        r"threat\w*\b(?! (?:to (?:go to|complain|sue|report (?:us|me|the school|it)|make a complaint|withdraw|pull|"
        r"move (?:him|her|them|schools?)|take (?:us|me|it|the school|legal)|write to|contact (?:the|their|an?|ofsted)|"
        r"tell (?:the (?:press|papers|paper|council|head|governors)|ofsted))|(?:us |me )?with (?:a |the )?(?:solicitor|"
        r"lawyer|legal action|court|complaint|tribunal|ofsted|the press)))", r"blackmail\w*",
        r"\b(?:hit|hits|hitting|beat|beats|beaten|beating|batter\w*|punch\w*|kick\w*|slap\w*|strangl\w*|chok\w*|"
        r"grab\w*|pinned|shov\w*|push(?:es|ed|ing)? (?:him|her|them) (?:around|about|down|over))\b",
        r"\b(?:throw|throws|threw|throwing|thrown) (?:\w+ )?(?:at|out)\b", r"drag\w* (?:him|her|them)",
        r"\bburn(?:s|t|ed|ing)?\b", r"\bbelt\b", r"bruis\w*", r"black eye", r"cut lip", r"\bmarks\b",
        r"\bswollen\b", r"\bbroken\b", r"fractur\w*", r"bleed\w*", r"\bblood\b", r"injur\w*", r"\bhurts? (?:him|her|"
        r"them|mummy|mum|daddy|dad)\b", r"\bhurt\b", r"holds? (?:his|her|their) head", r"\bflinch\w*",
        r"\bscreaming\b", r"things being thrown", r"smash\w*", r"finger ?marks", r"coming after",
        r"\bbrutal\w*", r"\battack\w*", r"assault\w*", r"\bviolen\w*", r"domestic (?:abuse|violence|incident)",
        r"\bshaken\b", r"\bshook\b",
        r"(?:go mad|go mental|go nuts|kill (?:him|her|them|me)|batter (?:him|her|them|me)) if (?:he|she|they|i) "
        r"(?:goes?|go|gets?|get) (?:back|home)",
        r"\bwon'?t (?:say|tell (?:me|us|anyone)) (?:what happened|how (?:he|she|they) (?:got|did) (?:it|that))",
        r"\b(?:held|holding|holds|pushed|pushing|pushes) (?:him|her|them|(?:the|a|an|his|her|their) (?:\w+ )?"
        r"(?:baby|child|kid|boy|girl|toddler|son|daughter|head)) "
        r"under\b",
        r"can'?t breathe", r"squeez\w* (?:his|her|their) (?:neck|throat)", r"\bwelts\b",
        # danger-now phrasings the meaning detector alone caught (urgent_tune14): "has his hands around her throat",
        # "shaking his baby really hard", "are coming for him tonight"
        r"\bhands? (?:round|around|on) (?:his|her|their|my|your|the \w+'s) (?:neck|throat)\b",
        # a cord put round someone's neck: "a man in the park with a dog lead round a kid's neck"
        r"\b(?:lead|rope|cord|belt|wire|cable|scarf|string|chain|strap|ligature|lace)s? (?:tied |wrapped |pulled )?"
        r"(?:round|around) (?:(?:a|the|his|her|their|my|your) )?(?:\w+'s )?(?:\w+ )?(?:neck|throat)\b",
        r"\bshak(?:ing|es|e) (?:the|his|her|their|a|my) (?:\w+ )?(?:baby|newborn|infant|toddler)\b",
        r"\bcoming for (?:him|her|them|me|us)\b",
        r"bite marks?", r"\blump\b", r"\b(?:threw|throws|throwing) (?:a|the) \w+ at", r"in the cupboard",
        r"\bhand ?prints?\b", r"\b(?:grip|slap|loop|strap|belt|cable|lead|wire) marks?\b",
        r"\bto finish (?:it\b(?! all)|the job|(?:him|her|them|me) off)", r"\bfinish (?:him|her|them|me) off\b",
        r"\b(?:'ll|will|would|gonna|going to|is going to) (?:deal with|sort|teach) (?:him|her|them|me)\b",
        r"\b(?:'ll|will|would|gonna) do (?:worse|something worse)\b", r"\bdv\b",
        r"\bmake (?:him|her|them|me|you) disappear\b",
        r"holds? a (?:lighter|cigarette)", r"\bwhip\w*",
        r"\b(?:story|stories|explanation|account)s? (?:keeps? changing|(?:keep|keeps|has|have) changed|"
        r"(?:doesn'?t|does not|"
        r"don'?t|do not) (?:match|fit|add up))", r"\binconsistent (?:story|explanation|account)", r"\bfrenulum\b",
        rf"\bsort {_VICTIM} out\b",
        r"\bsort (?:the|that) (?:\w+ )?(?:head|teacher|man|woman|lad|boy|girl|kid|bloke|guy|dad|mum|cow|idiot) out\b",
    ],
    "sexual abuse": [
        r"\babus\w*", r"\brap(?:e|ed|ing)\b", r"sexual\w*", r"molest\w*", r"groom\w*",
        r"\btouch(?:es|ed|ing)?\b", r"comes into (?:her|his|their) (?:room|bed)", r"gets? into (?:her|his|their) bed",
        r"(?:sleep|sleeps) in (?:his|her) bed", r"do (?:stuff|things|sexual things)", r"\bnudes?\b", r"\bnaked\b",
        r"\bpics\b", r"\bphotos\b", r"on camera", r"\bwilly\b", r"private parts", r"down below",
        r"(?:have|had|having) sex", r"sextort\w*", r"indecent", r"\b(?:grown|older|adult) (?:man|men|male|males)\b",
        r"\bmet (?:online|on (?:snapchat|instagram|tiktok|facebook|an app))", r"a man (?:she|he) met",
        # someone met on a platform, met in person ("is meeting some guy from discord tonight", urgent_tune8 t8u27:
        # no rule named it, left to the meaning detector)
        r"\b(?:meet|meets|meeting|met|see|seeing) (?:up with )?(?:some|a|an|this|that|the) (?:\w+ )?(?:guy|man|bloke|"
        r"lad|boy|girl|woman|person|stranger)\b(?: \w+){0,3} (?:from|off|on) (?:discord|snapchat|snap|instagram|insta|"
        r"tiktok|facebook|roblox|fortnite|minecraft|xbox|playstation|whatsapp|telegram|an app|online|the internet|"
        r"a game|the game)\b",
        r"clothes off", r"take (?:her|his|their) clothes",
        r"(?:tak(?:e|es|en|ing)|took|dropp\w*|brought|bringing|booked|meet\w*|met|picked up|collected) "
        r"(?:\w+ ){0,4}(?:at|to|in|into|from) (?:a|an|the) (?:\w+ )?hotels?\b",
        r"\bhotel rooms?\b", r"\bmeet (?:up|her|him)\b",
        r"\bin (?:his|their) (?:20s|30s|40s|50s|twenties|thirties|forties)\b", r"\b\d\d year old (?:man|'?boyfriend)",
        r"be nice to (?:him|them)",
        # a child under 16 who is pregnant
        r"\b(?:(?:1[0-5]|[4-9]) ?(?:yo|y/o|yrs? old|years? old|-year-old)|(?:year|yr|y) ?(?:[1-9]|10))\b.{0,60}"
        r"\bpregnan\w*",
        r"\bpregnan\w*.{0,40}\b(?:she'?s|she is|aged|only) (?:1[0-5]|[4-9])\b",
        # a child with an adult "boyfriend"
        r"\b(?:(?:year|yr) ?\d+|(?:1[0-5]|[4-9]) ?(?:yo|y/o|yrs? old|years? old))\b.{0,60}\b(?:boyfriend|bf|fella)\b"
        r"(?: [\w']+){0,2} (?:1[89]|[2-6]\d)\b",
        r"\bour (?:little )?secret\b", r"\bit'?s (?:a|their|our) secret\b",
        r"\b(?:get|gets|getting|got|come|comes|coming|tries to get) in(?:to)? the (?:shower|bath) with (?:her|him|the"
        r"m|me)\b",
        r"\bin the (?:bath|shower) with (?:her|him|them|me)\b",
        r"\b(?:in|into) (?:his|her|their) mouth\b",
        r"\bmakes? (?:him|her|them|me) (?:hold|touch|suck|watch|lick|kiss)\b",
        r"\b(?:boyfriend|bf|fella|guy|man|bloke)\b.{0,25}\b(?:1[89]|[2-6]\d)\b(?! ?(?:mins?|minutes|hours?|hrs?|days?"
        r"|weeks?|"
        r"miles?|%|pm|am|quid|pounds))(?=.{0,200}\b(?:(?:1[0-5]|[4-9]) ?(?:yo|y/o|yrs? old|years? old)|(?:year|yr|y) "
        r"?(?:[1-9]|"
        r"10))\b)",
        r"\b(?:(?:1[0-5]|[4-9]) ?(?:yo|y/o|yrs? old|years? old)|(?:year|yr|y) ?(?:[1-9]|10))\b.{0,80}\b(?:boyfriend|b"
        r"f|fella)"
        r"\b.{0,25}\b(?:1[89]|[2-6]\d)\b(?! ?(?:mins?|minutes|hours?|hrs?|days?|weeks?|miles?|%|pm|am|quid|pounds))",
        r"\b(?:(?:year|yr|y) ?(?:[1-9]|10)|(?:1[0-5]|[4-9]) ?(?:yo|y/o|yrs? old|years? old))\b.{0,80}\b(?:boyfriend|b"
        r"f|fella)\b"
        r".{0,30}\b(?:drives|has (?:his own|a) (?:flat|car|place|van)|works full[- ]time|left school years ago)\b",
        # a child and an adult: "15 yr old … a guy who's 24"
        r"\b(?:(?:year|yr) ?\d+|(?:1[0-5]|[4-9]) ?(?:yo|y/o|yrs? old|years? old))\b.{0,60}\b(?:guy|man|bloke|someone)\b"
        r"(?: [\w']+){0,2} (?:1[89]|[2-6]\d)\b",
    ],
    "child alone or neglected": [
        r"\bon (?:his|her|their) own\b", r"home alone", r"left (?:alone|by (?:him|her|them)sel)",
        rf"\bby {_SELF}\b", r"\balone\b", r"no (?:adult|parent|grown[- ]?up|one) (?:around|anywhere|with|about)",
        r"no (?:sign of|adult|parent)\b", r"nobody (?:has )?(?:collected|picked)",
        r"not (?:been )?(?:collected|picked up)",
        r"\b(?:mum|mom|dad|mother|father|parents?|carers?|nobody|no one|no-one)(?:'s)? (?:never|hasn'?t|has not|"
        r"didn'?t|did not|haven'?t) (?:came|come|turned up|arrived|shown up|showed up)\b"
        r"(?! (?:to|for) (?:the |her |his |their )?(?:parents'? evening|meeting|review|appointment|conference|"
        r"assembly|show|play|concert|match))",
        r"no food", r"hasn'?t eaten", r"not eaten", r"\bhungry\b", r"starv\w*", r"asking for food", r"no heating",
        r"no nappy", r"in (?:her|his|their) (?:nappies|nappy|pyjamas|nightie|nightdress)", r"\bwandering\b",
        r"\bdrunk\b", r"off (?:her|his|their) face", r"slurring", r"smells? of (?:alcohol|drink|booze)",
        r"crying for hours",
        r"(?:shouting|crying|screaming|calling) (?:out )?for (?:their|his|her) (?:mum|mam|mom|mummy|dad|daddy)",
        r"left (?:him|her|them) (?:at|in|outside)", r"locked (?:in|up)\b",
        r"(?:hot|locked) car", r"\blocks? (?:him|her|them) (?:in|up|out)\b", r"\bkept in\b",
        r"\bwithout food\b", r"\blocked room\b", r"\bin a (?:car|pram)\b", r"\bneglect\w*", r"\babandon\w*",
        r"\bsores\b",
        r"\bfreezing\b", r"\bsnowing\b", r"minus \d", r"\bsoiled\b", r"without (?:food|medication|meds|heating)",
        r"on the balcony", r"\bwasted\b", r"made (?:his|her|their) own (?:breakfast|tea|dinner)",
        r"hadn'?t been changed", r"didn'?t come (?:back|home)",
        r"\b(?:hasn'?t|hasnt|has not|haven'?t|havent|not|didn'?t|didnt) (?:had|have|get|got|been given) (?:any |anyth"
        r"ing |a )?"
        r"(?:food|tea|dinner|breakfast|lunch|meal|supper|anything to eat|to eat|a drink)\b",
        r"\blocks? (?:the|his|her|their) (?:\w+ )?door\b", r"\b(?:out of|out|from|in) the bins?\b", r"\bscaveng\w*",
        r"\b(?:left|leav(?:es|e|ing)) (?:him|her|them|the (?:kids|children|baby|toddler|little ones)) (?:\w+ )?(?:in|"
        r"outside)"
        r" (?:the|a) (?:car|van|pub|street)\b",
        r"\b(?:hasn'?t|has not|not|hasnt|haven'?t|didn'?t|isn'?t|wasn'?t) (?:been )?(?:given|giving|had) (?:her|him|t"
        r"hem)? ?"
        r"(?:any |their |her |his )?(?:meds|medication|tablets|insulin|food|a drink)\b", r"\bpressure sores?\b",
        r"\b(?:chucked|kicked|thrown|threw|put|turfed) (?:him|her|them|me) out\b",
        r"\bsleep(?:s|ing)? (?:rough|(?:in|on) (?:the|a) (?:shed|garage|bus shelter|street|park|car|stairwell|garden|"
        r"bench))\b",
        r"\b(?:nobody|no one|no-one|noone) (?:is )?answer\w* (?:the door|the phone)\b",
        r"\bin (?:her|his|their) (?:pants|underwear|knickers)\b",
        r"\bbarely (?:standing|able to (?:stand|walk)|walking)\b",
        r"\bin (?:his|her|their) (?:vest|dressing gown|slippers)\b", r"\bbelow (?:zero|freezing)\b",
        r"(?:not|n'?t) (?:been )?(?:collected|picked up)",
        r"(?:can'?t|cannot|couldn'?t) see (?:any|an) (?:adults?|parents?|grown[- ]?ups?)\b",
        r"\b(?:haven'?t|hasn'?t|not) been (?:washed|bathed|changed|fed)\b",
        r"\bwon'?t (?:open|answer) the door\b",
        r"\bchanged the locks\b",
        r"\bnowhere (?:else )?to (?:go|sleep|stay|live)\b", r"\btold (?:her|him|them) not to come back\b",
        r"\b(?:put|threw|thrown|chucked|dumped) (?:all )?(?:his|her|their) (?:stuff|things|belongings|clothes) (?:in|"
        r"on|out)\b",
        r"\b(?:looking after|minding|in charge of|babysitting) (?:her|his|their) (?:\d+ |two |three )?(?:baby |little |"
        r"younger )?(?:brothers?|sisters?|siblings)\b",
        r"\b(?:shut|shuts|shutting|lock|locks|locking) (?:her|him|them|me) in\b",
        r"\bmakes? (?:her|him|them|me) (?:stay|sleep|sit|wait|hide) in (?:the|a|her|his|their) (?:wardrobe|"
        r"cupboard|room|"
        r"bedroom|car|shed|garage|cellar|loft|bathroom)\b",
    ],
    "missing": [
        # "missing school", "missing from education": the record; "missing from the school trip": someone gone
        r"\bmissing\b(?! (?:(?!since\b|after\b|before\b|from (?:the|a|an|his|her|their|our)\b)\w+ ){0,2}(?:of )?"
        r"(?:education|school|lessons|out|data|"
        r"information|documents?|from education|"
        r"days|sessions|appointments|classes|forms?|episodes?|persons?|person'?s|reports?|strategy|protocol|"
        r"co-?ordinator|notifications?|procedures?|incidents?|log|from (?:care|home) (?:forms?|reports?|episodes?|"
        r"protocol|procedures?|notifications?)))",  # "the missing from care form", "a missing episode": the record
        r"\b(?:not|never|didn'?t|did not|hasn'?t|has not|haven'?t) (?:come|came|been|returned|return|got)"
        r"(?: back)?(?: home| back| to (?:placement|school|the home))",
        r"can'?t find", r"walked out",
        # "a year 3 pupil has vanished from the trip": someone gone, said without "missing"
        r"\b(?:has|have|had|'s|'ve) (?:just |suddenly )?(?:vanished|disappeared)\b(?! (?:from|off) (?:the |my |our )?"
        r"(?:system|record|list|register|file|screen|website|server|drive|app)s?\b)",
        r"wandered off", r"ran (?:off|away)", r"run(?:ning)? (?:off|away)",
        r"\bnot been (?:seen|home)", r"\bnobody (?:\w+ ){0,3}knows where\b",
        r"\b(?:isn'?t|is not|wasn'?t|was not) in (?:his|her|their) (?:room|bed)\b",
        r"nobody has seen", r"hasn'?t been seen", r"(?:last )?seen getting in",
        r"phone(?:'s| is| has been| was)? (?:been )?(?:off|switched off|dead)",
        r"(?:don'?t|dont|do not|doesn'?t|doesnt|does not) know where",
        r"\blost (?:a|one of|our|my)\b", r"\bgone off\b", r"didn'?t arrive", r"isn'?t (?:answering|at home|in the "
        r"building)", r"not answering", r"nobody knows where", r"left (?:school|home|the house) with",
        r"\bstill not (?:back|home|in)\b", r"\bnot (?:back )?home yet\b", r"\b(?:is|'s|isn'?t) not home\b",
        r"\b(?:nobody|no one|no-one|noone)(?:'s| has| have)? (?:heard|seen) (?:from |of )?(?:her|him|them)\b",
        r"\b(?:isn'?t|is not|not|won'?t|wont|isnt) (?:picking|pick) up\b",
        r"\bpacked (?:a|his|her|their) bags?\b",
        r"\b(?:ran|run|running|bolted|legged it) out of (?:school|the building|class|the house|the unit|the home|"
        r"the ward|"
        r"the centre)\b",
        r"\b(?:hasn'?t|has not|not|haven'?t) (?:come|came|been) out of (?:her|his|their) (?:room|flat|house|bedroom)\b",
    ],
    "FGM or forced marriage": [
        r"\bfgm\b", r"\b(?:fgm ?|fm)pos?\b",  # the protection orders by their initials: "an FMPO", "FGMPOs"
        r"\bto (?:be|get) cut\b", r"\bcutting\b", r"\bcutter\b", r"circumcis\w*", r"made clean",
        r"becom(?:e|es|ing) a (?:proper |real )?woman", r"made a (?:proper |real )?woman",
        r"\b(?:traditional|special|cultural) (?:procedure|ceremony|operation|cutting)\b",
        r"(?:get|got|getting|have|having) (?:her|them|the girls|(?:her|my|their|his|two|both) "
        r"(?:daughters?|girls|little ones))\b.{0,12}\bdone\b", r"forced (?:marriage|to marry|into marriage)",
        r"\bmarry\b", r"\bmarr(?:y|ying|ies|ied) (?:me|her|him|them|us) off\b", r"\bmarrying (?:me|her|him|them)\b",
        r"get(?:ting)? married", r"\bwedding\b", r"passport", r"one[- ]way ticket", r"\bhonou?r\b",
        r"\bengagement\b",
        r"arranged (?:her|his|their) marriage", r"\b(?:to be|be|being) married\b",
        r"\b(?:get|getting|got|be|being) engaged\b", r"\bif (?:she|he|they) (?:says?|refuses?) no\b",
        r"\b(?:have|having|get|getting|got) (?:her|them|(?:her|my|their|his) (?:\w+ )?(?:daughters?|girls?|little ones|"
        r"baby))\b.{0,12}\bcut\b",
        # a marriage told as a sale, a promise or a gift: "being sold to her cousin in pakistan", "her dad has
        # promised her to a man twice her age", "have given her away to a man", "taken money for his sister" (tune15)
        r"\b(?:sold|selling|sell|promised|promising|given|giving|gave|handed|offered|betrothed) (?:her|him|them|me) "
        r"(?:away )?to (?:a|an|his|her|their|my|the|some) (?:\w+ ){0,3}(?:man|men|woman|cousin|uncle|husband|wife|"
        r"family|friend|stranger)\b",
        r"\b(?:being|is|are|was|were|'s|'re|been|be|getting) (?:sold|promised|given away|handed over|married off|wed) "
        r"(?:off )?to\b",
        r"\b(?:being|to be|getting|be) (?:married off|wed)\b", r"\bdowry\b", r"\bbride ?price\b",
        r"\b(?:was|were|been|being|is|'s) (?:sold|promised|given|handed over) to (?:a|an|his|her|their|my|the|some) "
        r"(?:\w+ ){0,3}(?:man|men|cousin|uncle|husband|stranger)\b",
        r"\b(?:taken|took|accepted|paid) (?:money|cash|a payment) for (?:her|him|his|her|their|my) (?:\w+ )?"
        r"(?:daughter|sister|girl|niece|son)\b",
        r"\b(?:will be|to be|being|get|getting|gets|got) done\b.{0,40}\b(?:somalia|sudan|egypt|ethiopia|eritrea|gambia|"
        r"guinea|sierra leone|mali|kenya|nigeria|abroad|back home|like (?:her|their) sisters?)\b",
    ],
    "exploitation": [
        r"county lines", r"trap ?house", r"\bplugg\w*", r"\bolders\b", r"(?:do|doing|another) (?:a )?run\b",
        r"deliver(?:ing)? (?:a |the )?(?:package|parcel|drugs)", r"\bowes?\b", r"\bdebt\b", r"pay (?:it |that )?off",
        r"(?:hold|holding|carry|carrying|stash\w*) (?:the )?drugs", r"\bcrack\b", r"\bwraps\b", r"cuckoo\w*",
        r"taken over (?:his|her|their) (?:flat|house|home)", r"traffick\w*", r"modern slavery", r"\bgang\b",
        r"exploit\w*", r"two phones",
        # sold or pimped for sex ("a girl who's being sold for sex", urgent_tune12 probe: no rule named it)
        r"\b(?:sold|sell(?:s|ing)?|pimp(?:s|ed|ing)?(?: (?:her|him|them))?(?: out)?)\b.{0,20}\bfor sex\b",
        r"\bpimp(?:s|ed|ing)? (?:her|him|them) out\b", r"(?:men|man|males) in (?:different )?cars",
        r"\bwith (?:two|three|several|some|older|\d+) (?:older )?(?:men|males|lads)\b",
        r"getting in(?:to)? (?:a |the |one |their |his |different )?(?:[\w']+ ){0,3}(?:car|van)s?\b",
        r"\bvan dropping\b", r"\bfor weed\b", r"going with",
        r"(?:let|lets) (?:her|him) (?:leave|eat|go out)",
        r"\bmak(?:es|ing|e) (?:him|her|them|me) work\b",
        # money taken from an adult at risk ("her son has emptied her bank account", urgent_tune8 t8u10)
        r"\b(?:empt(?:y|ies|ied|ying)|drain(?:s|ed|ing)?|clear(?:s|ed|ing)? out) (?:all )?(?:of )?(?:his|her|their) "
        r"(?:\w+ )?(?:bank )?(?:accounts?|savings|pension)\b",
        r"\b(?:takes?|took|taken|taking|keeps?|kept|keeping) (?:all )?(?:of )?(?:his|her|their) (?:\w+ )?(?:pension|"
        r"savings)\b",
        # gifts that groom: "he's sent her money and a train ticket"
        r"\b(?:sent|sends|sending|bought|buys|buying) (?:him|her|them) (?:\w+ )?(?:money|cash|(?:a )?(?:train|bus|"
        r"coach) tickets?|gifts|presents|a phone|phones|vapes|trainers)\b",
        r"(?:takes?|took|taken|keeps?|kept|holds?|held) (?:all )?(?:his|her|their) (?:money|benefits|"
        r"medication|meds|passport)", r"\bsleeping in the\b", r"\bburner\b", r"keeps? getting calls",
        r"sell(?:ing)? (?:weed|drugs|crack)", r"pay (?:them|him|it) back",
        r"stealing (?:her|his|their) (?:money|benefits)",
        r"\b(?:hold|holding|keep|keeping|look after|looking after|carry|carrying|mind|minding) (?:a |the |some )?"
        r"(?:package|parcel|bag|stuff|something|things) for (?:them|him|her|the)\b",
        r"(?:takes?|took|taken|keeps?|kept|holds?|held) (?:all )?(?:his|her|their) (?:id|documents|papers|bank cards?|"
        r"cards?|wages|pay)\b",
        r"\bwork\w* (?:\w+ ){0,4}(?:for no|without) (?:pay|money|wages)\b",
        r"\bget(?:ting)? (?:her|him|them) (?:in|into) (?:his|a|the|their) (?:car|van)\b",
        r"\bmoved (?:in|into) (?:his|her|their) (?:flat|house|home|place)\b",
        r"\b(?:hand|hands|handing) over (?:his|her|their) (?:bank card|card|money|benefits|pin|wages|phone)\b",
        r"\btold (?:her|him|them) to (?:say|lie|tell (?:them|people|us|staff)) (?:she'?s|he'?s|they'?re|that)\b",
        r"\b(?:won'?t|wont|refuses? to|will not) (?:say|tell (?:us|me|anyone)) (?:who|whose|where)\b",
        r"\bsleeping at (?:a |an )?(?:different |older )?(?:adult|man|men|stranger)'?s?\b",
        r"\b(?:staying|stays|stayed|sleeping|sleeps|going|goes) (?:over )?(?:at|to) (?:a|an|this|some|the) (?:older )?"
        r"(?:man|men|adult|bloke|guy)'?s\b",
        r"\bgives? (?:him|her|them) (?:\w+ )?(?:cigarettes|fags|vapes|alcohol|drink|money|weed|drugs|gifts|presents|p"
        r"hones?|"
        r"trainers|lifts|rides)\b",
        r"\b(?:texts|calls|messages) from (?:numbers|people) (?:we|he|she|they) (?:don'?t|do not) know\b",
        r"\b(?:join|joining|go|going) (?:\w+ ){0,3}fighting (?:abroad|overseas|in \w+)\b", r"\bfighting abroad\b",
    ],
    # an attack planned in an extremist's cause ("got really into extremist stuff and has just bought chemicals,
    # says the plan is tomorrow", urgent_tune8 t8u46, p=0.39 from the meaning detector, below its threshold)
    "violent extremism": [
        r"\bextremis\w*", r"\bradicali[sz]\w*", r"\bterroris\w*", r"\bjihad\w*", r"\b(?:isis|daesh)\b",
        r"\bmartyr\w*", r"\bbombs?\b", r"\bbomb[- ]?making\b", r"\bexplosives?\b",
        r"\b(?:bought|buying|buys|got hold of|ordered|ordering|stockpiling) (?:\w+ )?(?:chemicals|fertili[sz]er|"
        r"ammunition|ammo|detonators?)\b",
    ],
    "weapon": [r"\b(?:baseball )?bat\b",
               # "at the gate with baseball bats" (urgent_tune17); not "the cricket bats are splitting", nor the animal
               r"\b(?:baseball|metal|wooden) bats\b", r"\bwith (?:\w+ )?bats\b",
               r"\bknives\b", r"\b(?:pen|pocket) ?kni(?:fe|ves)\b", r"\bgun\b", r"\bhammer\b", r"machete",
               # not the record of one: "the knife incident report I made"
               r"\bknife\b(?! (?:incidents?|crime|arch|amnesty|wands?|polic(?:y|ies)|awareness))",
    r"\bstab\w*", r"\bshank\w*",
               r"slashed", r"\bweapon\w*", r"\bacid\b", *_OBJECT_TURNED_ON, *_THREAT_WITH_AN_OBJECT],
    "danger": [
        r"(?<!not )(?<!n't )(?<!no )(?<!nt )in (?:immediate )?danger", r"\bnot safe\b", r"\bunsafe\b",
        r"(?:scared|afraid|frightened|terrified|too scared)"
        r"(?: to go home| of (?:him|her|them|going))?", r"won'?t go (?:back )?home", r"refus\w* to (?:go|leave)",
        r"please (?:don'?t|do not) tell", r"\bbegging\b", r"\bpl(?:ea)?se? help\b", r"\bpls help\b",
        # a stranger asking for help ("young girl at the service station asking for help", urgent_tune8 t8u22)
        # …not asking for help with something ("has asked for help with food vouchers": urgent_train en116)
        r"\b(?:asking|begged|begging|screaming|shouting|crying) (?:me |us |people |someone )?for help\b"
        r"(?! (?:with|to|on|in|filling|from|about|at|for|over|getting|finding|applying))",
        r"voices (?:are )?telling", r"plan (?:on (?:his|her) phone )?to attack", r"out of prison", r"\bhiding\b",
        r"knows (?:her|his|their|where (?:she|he|they)) (?:address|lives)", r"coming round",
        r"(?:knows|found out|has found|worked out|tracked down|got hold of) (?:her |his |their |the )?(?:new )?"
        r"(?:address|where (?:she|he|they|we|you|the \w+)(?:'re|'s| are| is)? (?:lives?|living|staying|are|is))",
        r"\b(?:don'?t|do not|doesn'?t|does not|never|not) feels? safe\b", r"\bcome and get me\b",
        # taken, kept or held against their will
        r"\bdragg?(?:ed|ing)? (?:\w+ ){0,2}(?:into|in) (?:a|the|his|their) (?:car|van)\b",
        # "a man is making her get in his car", "has just snatched our son from nursery" (urgent_tune14)
        r"\b(?:making|forcing|made|forced|trying to get|pulling|pushing|pushed) (?:him|her|them|me) (?:to )?get "
        r"in(?:to)? (?:a|the|his|her|their) (?:car|van|taxi)\b",
        r"\bsnatch(?:ed|ing)? (?:our|my|his|her|their|the) (?:\w+ )?(?:son|daughter|child|kids|children|baby|boy|"
        r"girl)\b",
        r"(?:'s|is|are|'re|was|were) (?:taking|going to take|gonna take|coming to take|trying to take) "
        r"(?:the|my|her|his|their) (?:kids|children|baby|son|daughter|little ones)\b",
        r"\bkeep(?:s|ing)? (?:him|her|them|me) (?:at home|in the house|inside|locked)",
        r"\bwon'?t let (?:him|her|them|me) (?:out|leave|go)\b",
        r"locked (?:her|him|them|me) (?:in|out)", r"taken (?:her|his|their|my) phone",
        # shut in, by themselves or by someone: "has locked herself in the bathroom", "barricaded himself in his
        # room", "locked me and the kids in the flat", "she's locked in her room" (urgent_tune14)
        rf"\b(?:locked|barricaded|shut) {_SELF} in(?:side)?\b",
        r"\blocked (?:me|us|her|him|them) and (?:the|my|our|her|his|their) (?:kids|children|baby|little ones)\b",
        r"\b(?:she|he|they|i|we)(?:'s|'re|'m| is| are| am) (?:been )?locked in\b",
        # someone who did harm within reach again (see `ABUSER_WITHIN_REACH`)
        ABUSER_WITHIN_REACH,
        r"\b(?:doesn'?t|does not|don'?t|do not|didn'?t|did not|doesnt|dont) want to go (?:back )?home\b",
        r"\b(?:even though|despite|breach\w*|break\w*|ignor\w*) (?:[\w']+ ){0,4}(?:court|contact|non[- ]molestation|"
        r"protection|restraining|no[- ]contact) order\b",
        r"\bknows? where (?:his|her|their|your|my) (?:little |younger |big |older )?(?:sister|brother|mum|mom|dad|"
        r"family|"
        r"kids?|nan|gran) (?:goes|lives|is|works|stays)\b",
        r"\bnot coming back\b", r"\bwon'?t be (?:coming|allowed) back\b",
        r"\bbanging on (?:the|her|his|my|their|our) (?:front |back )?(?:door|window)s?\b",
        r"\b(?:parked|sat|sitting|waiting) (?:up )?outside (?:her|his|their|my|our|the) (?:house|flat|home|school|"
        r"work)\b",
        r"\bnot (?:allowed|supposed|meant|permitted) to (?:have contact|see (?:her|him|them|the kids)|be near|"
        r"come near|"
        r"contact|collect|pick (?:her|him|them) up|take (?:her|him|them))\b",
        # a child kept from the other parent and taken away, abroad or out of reach: "won't bring him back after
        # contact and is driving to the airport", "refused to return my son … booked them on a ferry", "taken by
        # her father who has no contact rights … heading for the border with her" (urgent_tune15)
        rf"(?:{_NOT_RETURNED}).{{0,120}}(?:{_AWAY})|(?:{_AWAY}).{{0,120}}(?:{_NOT_RETURNED})",
        r"\b(?:trying to|tried to|going to|gonna) (?:get|put|take) (?:him|her|them|the (?:kids|children|baby)) "
        r"(?:on|onto) (?:a|the) (?:train|plane|flight|ferry|boat|coach)\b",
        r"\bheading (?:for|to|towards) (?:the )?(?:border|airport|port|ferry)\b.{0,20}\bwith (?:him|her|them|the (?:"
        r"kids|children|baby))\b",
        r"\b(?:climb\w*|standing|stood|sitting|sat|hanging|leaning) (?:on|over|off|out of|up|onto) (?:\w+ ){0,5}(?:ra"
        r"ilings?|"
        r"windowsills?|window sills?|window ledge|balcony|ledge|roof)\b",
        r"\b(?:handful|pocket(?:ful)?|bagful|packet|pack|box|strip)s?(?: full)? of (?:\w+'?s? )?(?:sleeping )?(?:tabl"
        r"ets|pills|"
        r"meds|medication|paracetamol)\b",
    ],
}

# Urgent even as a question or a bare report, provided nothing marks it past or hypothetical.
_STRONG = {"suicidal intent", "self-harm", "medical emergency", "weapon"}

# Cues that the danger is here now; "now" in "she is now settled" or "he's 30 now" is not one of them, nor in a
# new state after the event: "she's back in school now and doing well", "she now wants to talk about it in
# counselling" (urgent_tune8 t8n05, t8n29: both read as danger now).
_NOW = (r"(?<!in school )(?<!at school )(?<!\d )(?<!divorced )(?<!safe )(?<!fine )(?<!well )(?<!ok )(?<!okay )"
        r"(?<!settled )(?<!happy )(?<!older )(?<!retired )(?<!adult )(?<!better )(?<!up )(?<!married )"
        r"(?<!remarried )(?<!back )(?<!pregnant )(?<!have it )(?<!has it )(?<!got it )"
        r"\bnow\b(?! (?:and )?(?:back|in|with|doing|settled|safe|engaging|thriving|an adult|aged|\d+|lives|living|"
        r"works|working|married|remarried|divorced|retired|grown|helps|supports|runs|has|mentors|moved|under|"
        r"at (?:uni|university|college|work)|wants? to (?:talk|speak|discuss|tell|share|report|know|understand|"
        r"move on)|(?:coming|going) back to (?:us|school|college|class|lessons|nursery|work|the (?:school|club|group|"
        r"unit|team))|returning to (?:us|school|college|class|lessons|nursery|work)))")
# The time is now: even a question in general ("if a child…") is about a real one when it says "tonight".
_TIME_NOW = [
    r"\bright now\b", _NOW, r"\btonight\b", r"\btoday\b", r"\bthis (?:morning|afternoon|evening)\b",
    r"\bat the moment\b", r"\bcurrently\b", r"\bhas just\b", r"\bhave just\b",
    r"\bjust (?:told|said|found|disclosed|showed|rang|phoned|called|run|ran|arrived|turned up|come|came|walked)\b",
    # "she's just rung me slurring", "he's just sent a photo": 's and 've as "has" and "have"
    r"\b(?:she|he|they|i|we|who|it)(?:'s|'ve) just (?:\w+ed|rung|sent|come|gone|got|taken|run|done|been|left|told|said|"
    r"shown|found|written|thrown|cut|hit|swallowed|drunk|drank)\b",
]
_WEAPON_WORDS = r"(?:knife|knives|blade|blades|weapon|weapons|gun|bat|baseball bat|machete|razor|hammer)"
_IMMEDIATE_STRONG = _TIME_NOW + [
    # a weapon at hand, whatever time the rest is told in: "came home covered in blood and he's got a machete in his
    # bag", "he's carrying a screwdriver" (urgent_tune15)
    r"\b(?:he|she|they|i|we)(?:'s| has|'ve| have) (?:still )?got (?:a|an|the|his|her|their) (?:\w+ )?"
    + _WEAPON_WORDS + r"\b(?! (?:incident|crime))",
    r"\b(?:he|she|they)(?: has| have) (?:a|an|the) (?:\w+ )?" + _WEAPON_WORDS
    + r" (?:in|on|under|with) (?:him|her|them|his|her|their)\b",
    r"\b(?:is|'s|are|'re) carrying (?:a|an|the|his|her|their) (?:\w+ )?(?:" + _WEAPON_WORDS[3:-1]
    + r"|screwdriver)\b",
    # someone on the way to take them: "given to a man last month and he's coming to take her" (urgent_tune15)
    r"\b(?:is|'s|are|'re) coming (?:to (?:take|get|fetch|grab) |for )(?:her|him|them|me|us)\b",
    r"\bis (?:outside|waiting|here|with)\b", r"\bwaiting (?:for|outside|in)\b", r"\bafter school\b",
    r"\bwhen (?:he|she|they) gets? (?:home|back)\b", r"\bafter this\b", r"\bgoing (?:back )?home\b",
    r"\b(?:is|'s|are|'re|am|'m) (?:scared|terrified|frightened|afraid|in pain|bleeding|crying|shaking|hurt|hiding)\b",
    r"\blater\b",
    # at the airport as it is told, or in touch from there: "she's messaged me from the departure lounge"
    r"\b(?:is|'s|are|'re|am|'m) (?:now |already |still )?(?:at|in) (?:the )?(?:airport|departure (?:lounge|gate)s?|"
    r"check-?in)\b",
    r"\b(?:messag\w*|text\w*|rang|rung|ringing|called|calling|phoned|phoning|snapchat\w*|whatsapp\w*) (?:(?:me|us|"
    r"(?:her|his|the) \w+) )?from (?:the )?(?:airport|departure (?:lounge|gate)s?|plane|check-?in)\b",
    r"\b(?:won'?t|will not|wont|can'?t|cannot) stop (?:bleeding|fitting|shaking|vomiting|being sick)\b",
]
# "Still" of a role someone keeps ("the coach who abused her still works with kids", "he still babysits his
# grandkids": a risk to pass on to the LADO or the police) or of how a thing is classed ("is an overdose cleared
# last month still a safeguarding referral?"): not a danger going on now.
_STILL_NOT_DANGER = (r"(?:works?|working|coach(?:es|ing)?|teach(?:es|ing)?|babysits?|babysitting|volunteers?|"
                     r"volunteering|employed|in post|on the staff|"
                     # what a past harm leaves: "still gets anxious when men shout", "still has nightmares about it"
                     r"(?:gets?|getting|feels?|feeling|has|have|having|suffers? (?:from|with)|struggles? with) "
                     r"(?:\w+ )?"
                     r"(?:anxious|anxiety|upset|nervous|low|sad|flashbacks|nightmares|panic attacks|bad dreams|"
                     r"triggered)|thinks? about (?:it|him|her|them|what happened)|talks? about (?:it|what happened)|"
                     r"(?:has|have|got|bears?) (?:the |some |(?:his|her|"
                     r"their) )?(?:old |faded )?scars|(?:a|an) (?:safeguarding|referral|concern|crime|"
                     r"offence|cp|child protection|reportable|notifiable|s ?47|section 47)|classed|considered|"
                     r"reportable|notifiable|relevant|valid|appl(?:y|ies)|required|necessary)\b")
# Ongoing, recent or coming: enough to keep "years ago" from settling it, not enough to make training urgent.
_IMMEDIATE_WEAK = [
    r"\bthis (?:weekend|week)\b", r"\btomorrow\b", r"\bnext (?:week|month)\b", r"\bis being\b", r"\bare being\b",
    r"(?<!can )(?<!could )(?<!would )(?<!should )(?<!might )\bstill\b(?! (?:living|lives|safe|with|settled|doing|at|in|"
    r"report|refer|apply|count|make|go ahead|be (?:prosecuted|charged|reported)|" + _STILL_NOT_DANGER + r"))",
    r"\bsince (?:yesterday|last night|this morning|lunch|friday|saturday|sunday|monday)\b", r"\blast night\b",
    ABUSER_WITHIN_REACH,
    # someone told as missing in the present ("…her passport was handed in and she is missing from the hostel"): the
    # rest of the message told in the past does not make the missing past; absence from lessons is not missing
    # "she's missing her trip" is a verb with its object, not someone missing
    r"\b(?:she|he|they|who)(?:'s| is| are|'re) (?:still |now )?missing\b(?! (?:from )?(?:school|lessons?|class|"
    r"college|education|a lot|lots|sessions|appointments|out)\b)(?! (?:her|his|their|the|a|an|my|our|it|this|that)\b)",
    r"\b(?:is|are) (?:still |now )?missing from (?:the|her|his|their|a|an|our) (?:\w+ )?(?:home|placement|hostel|"
    r"campsite|camp|unit|hotel|house|flat|ward|hospital|residential|trip|foster home)\b",
    r"\byesterday\b", r"\bearlier\b", r"\ban hour\b", r"\bminutes?\b", r"\bmins\b", r"\bkeeps?\b",
    r"\bagain\b", r"\bin the summer holidays\b", r"\bhalf term\b",
    r"\b(?:is|are|'s|'re|am|'m) (?:getting|being|going to be|gonna be) (?:married|engaged|sent|taken|cut|flown)\b",
]
# A day named may be the coming one ("they fly on friday") or a past one ("was found on sunday").
_DAY = r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"

_PAST = [
    r"\b(?:\d+|a few|several|many|some|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty) "
    r"(?:years?|yrs?) ago\b", r"\b(?:years|yrs) ago\b", r"\bdecades?\b",
    r"\b(?:\d+|a few|a couple of|several|many|some|two|three|four|five|six|seven|eight|nine|ten|twenty) (?:years?|yrs?)"
    r" back\b", r"\b(?:years|yrs) back\b", r"\bin (?:the )?(?:19|20)\d\d\b",
    r"\bin the (?:\d0|19\d0)'?s\b",
    r"\b(?:from|back in|during) (?:the )?(?:19|20)\d\d\b",
    r"\b(?:was|were) (?:\w+ ){0,5}in (?:her|his|their|my) (?:teens|twenties|thirties|forties|20s|30s|40s)\b",
    r"\b(?:happily )?remarried\b",
    r"\bas a (?:child|kid|baby|teenager|teen|young \w+)\b", r"\bwhen (?:she|he|they|i|we) (?:was|were) "
    r"(?:a child|a kid|little|young|younger|small|at school|in year \d+|a baby|a teenager)\b",
    r"\bhistoric\w*\b", r"\bin the past\b", r"\bnon[- ]recent\b", r"\bback when\b", r"\bused to\b", r"\blong dead\b",
    r"\b(?:is|are|has been|have been|'s) now (?:back|in|with|doing|settled|safe|engaging|thriving|an adult|\d+)\b",
    r"\b(?:is|are|'s|was|were|got|now|came|come) back (?:home|at school)\b",
    r"\bdoing (?:well|ok|okay|fine|really well|great|better)\b", r"\bsettled\b",
    r"\bthriving\b", r"\b(?:was|were|been|got) (?:closed|dealt with|convicted|resolved|sacked|sent to prison|"
    r"jailed|confiscated|seized|handed in)\b", r"\b(?:was|were|been|got) taken (?:off|from|away from) (?:him|her|"
    r"them)\b",
    r"\b(?:was|were|has been|have been|got) found (?:at|in) (?:a|an|the|his|her|their) (?:\w+'?s? )?(?:house|home|"
    r"flat|place|friend'?s|mate'?s|boyfriend'?s|girlfriend'?s)\b",
    r"\bno contact since\b", r"\bplaced with\b", r"\bcame back\b", r"\breturned home\b",
    r"\bfound (?:safe|well)\b", r"(?<!n't )(?<!not )(?<!never )\b(?:came|got) (?:back )?home\b",
    r"\b(?:has|have|'s|just) come (?:back )?home\b",
    r"\b(?:has been|have been|was|were|got|been|now|kid|child|boy|girl|person|son|daughter|resident|he|she|they)"
    r"(?:'s)? "
    r"found\b(?=\s*(?:[-,.;:!?]|$|safe|well|unharmed|ok\b|okay|and (?:is|was|has been) (?:home|back|safe)))",
    r"\b(?:is|are) (?:home|back) with\b",
    r"\breturn(?: home)? interview\b", r"\bmoved (?:away|abroad)\b", r"\bended\b", r"\brestraining order\b",
    r"\b(?:she|he|they)(?:'s| is| are) \d+ now\b", r"\bnow (?:aged|an adult)\b", r"\bcase (?:was |is )?closed\b",
    r"\bwent to prison\b", r"\bin the (?:spring|summer|autumn|winter)\b(?! holidays)", r"\bdied\b",
    r"\blast (?:year|month|term)\b", r"\b(?:months|weeks) ago\b",
    # a setting left behind: "a teacher at her old school hit her"
    r"\b(?:at|in|from) (?:her|his|their|my|our) (?:old|previous|last|former) (?:school|placement|"
    r"foster (?:home|carers?)|home|club|nursery|college|job)\b", r"\bfor years\b", r"\bin the (?:19|20)\d0'?s\b",
    r"\bwhen (?:she|he|they|i|we) (?:was|were) (?:about |around |only |aged |just )?(?:\d+|younger|a girl|a boy|"
    r"growing up)\b",
    r"(?<!n't )(?<!not )(?<!never )\b(?:is|are|'s|feels?|lives?(?: here)?|living|now) (?:safe|safely)\b",
    r"(?<!n't feel )(?<!not feel )(?<!n't )(?<!not )\bsafe (?:with|at)\b",
    r"\b(?:was|were|got|been) (?:excluded|expelled|arrested|charged|protected)\b", r"\bretired\b", r"\bdivorced\b",
    r"\b(?:been|is|are|was|were|got|now|stay(?:s|ed)?|kept) out of it\b", r"\bfled\b",
    r"\b(?:is|are|'s|now|living|lives|staying|stays|moved|went|gone|got a place) (?:in|at|to|into) "
    r"(?:a |the )?refuge\b",
    r"\bno (?:current|immediate|ongoing|present) (?:risk|concerns?|danger)\b", r"\bnot (?:currently )?at risk\b",
    r"\bin (?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b",
    # dealt with since: taken into care, out of hospital, seen by a doctor, the weapon with the police, a protection
    # order made, the missing child back ("the baby with the fractured arm was taken into care", "the knife has
    # been handed to the police", "the foster child who went missing is back")
    r"\b(?:was|were|been|got|is|are|being) (?:taken|received|placed|accommodated) into (?:care|foster care)\b",
    r"\b(?:is|are|'s|was|were|been|now|got) (?:\w+ )?(?:out of|discharged from|home from) hospital\b",
    r"\balready (?:been )?(?:seen|checked|examined|assessed) by\b",
    r"\b(?:been|was|were|got) (?:handed|given|passed) (?:over )?to (?:the )?police\b",
    r"\b(?:fgm|forced marriage) protection orders?\b",
    r"\b(?:went|gone|was|were|been) missing\b.{0,40}\b(?:is|are|'s|has|have) (?:now )?(?:back|home|returned|been "
    r"found)\b",
]

_ABOUT_THE_TOPIC = [
    r"(?<!at )(?<!after )(?<!from )(?<!before )(?<!during )\btraining\b",  # not football "at training"
    r"\bcourse\b", r"\bsession\b", r"\blesson\b", r"\bassembly\b", r"\bslides\b", r"\bresources?\b",
    r"\bmodule\b", r"e-?learning",
    # a training workshop, not the DT room: "has a screwdriver held against the technician's stomach in the workshop"
    r"(?<!\bin the )\bworkshop\b", r"\bpresentation\b", r"\b(?:videos?|films?) (?:on|about|for)\b",
    r"\bbooks\b",
    r"\bbook (?:on|about|recommendations?)\b",
    r"\bdissertation\b", r"\bresearch\b", r"\bstats\b", r"\bstatistics\b", r"\bcase stud(?:y|ies)\b",
    r"\bannual report\b", r"\bpolic(?:y|ies)\b", r"\bprocedures?\b", r"\bprocess\b", r"\bguidance\b", r"\btoolkit\b",
    r"\btemplate\b", r"\bsigns\b", r"\bwarning signs\b", r"\bhow (?:do|can|should|would) (?:you|i|we) "
    r"(?:spot|recognise|recognize|support|tell|talk)\b", r"\bawareness\b", r"\bprevention\b",
    r"\bfor my (?:records|notes|training|team)\b", r"\b(?:rapid|practice|case|adults?|homicide|good outcome) review\b",
    r"\breview (?:into|about|of)\b", r"\bsafeguarding adults review\b", r"\bSAR\b", r"\bthreshold\b",
    r"\breferral form\b", r"\bmeaning of\b", r"\bwhat (?:does|do|is|are) .{0,30}\bmean\b", r"\bdefinition\b",
    r"\bsupervision\b", r"\brefresher\b", r"\binset\b", r"\bcpd\b", r"\btwilight\b", r"\b(?:staff|team) meeting\b",
    r"\bsafety plans?\b", r"\bchronology\b", r"\bold files\b", r"\bfindings\b", r"\brecommendations\b", r"\bpshe\b",
    r"\bis (?:it|\w+(?: \w+)?) a crime\b", r"\blaw\b", r"\blegal(?:ly)?\b", r"\bleaflets?\b", r"\bposters?\b",
    r"\bhandbook\b", r"\bbriefings?\b", r"\binduction\b", r"\bnew starters\b", r"\bprotocol\b",
    r"\bspeaker\b", r"\b(?:knife|gun|youth) crime\b", r"\bcampaign\b", r"\bhelplines?\b", r"\bstrategy\b",
    r"\baudit\b", r"\bnetwork\b", r"\bchampions?\b",
    # what the news or a quiz says is the topic, not a person (urgent_tune8: "saw on the news about a teenager
    # trafficked through county lines, how common is that", "our safeguarding quiz asked what CSE stands for")
    r"\b(?:on|in) the news\b", r"\bnews (?:story|stories|article|report|item|piece|headline)s?\b", r"\barticles?\b",
    r"\bdocumentar(?:y|ies)\b", r"\bheadlines?\b", r"\bpodcasts?\b", r"\bin the (?:paper|papers|media)\b",
    r"\bquiz\w*", r"\bstands? for\b", r"\bacronym\b",
    # "what are the indicators a girl may be at risk", "is it mandatory to report FGM in a girl under 18"
    r"\bindicators?\b", r"\bmandatory\b", r"\b(?:statutory|legal) (?:duty|duties)\b",
]

# A question asked in general: "what do I do if a child…", "when a pupil…", "a child who self-harms".
# "If…" in a question, not in a threat ("he'll kill him if he comes back"): see `rule_verdict`.
_HYPOTHETICAL = [
    r"\b(?:after|before|once|until|unless) (?:a|an|any|the) (?:child|pupil|kid|student|young person|person|adult|"
    r"girl|boy|baby|family|parent)\b", r"\b(?:tells|told|shows|asks) you\b", r"\breporting a\b",
    r"\b(?:if|when|whether|in case|suppose|supposing) (?:one of (?:my|our|your|the) |a|an|the|my|our|your|any|someone|"
    r"somebody|they|you|i|we|he|"
    r"she|\w+ (?:child|pupil|"
    r"kid|student))\b",
    r"\b(?:a|any) (?:child|pupil|kid|student|young person|person|adult|girl|boy|baby|family) who\b",
    r"\b(?:a|an|any) (?:\w+ )?(?:child|pupil|kid|student|young person|person|adult|girl|boy|baby|family|resident|"
    r"client)(?:ren)? (?:at risk|in care|affected by|experiencing)\b",
    r"\b(?:can|could|should|may|must|is|are|does|do|would|will|might|need|needs) (?:a|an|any) (?:child|pupil|kid|"
    r"student|"
    r"young person|girl|boy|baby)\b",
    # "for every bruise", "each time", "all disclosures": a rule asked about, not a case
    r"\b(?:every|each|any) (?:single )?(?:bruise|mark|injury|disclosure|concern|incident|case|allegation)s?\b",
    r"\bevery time (?:a|an|any|someone|somebody)\b",
    r"\b(?:children|pupils|kids|students|young people|adults|families|girls|boys|babies) (?:who|that|with|in|at)\b",
    r"^\s*(?:what|how|who|when|where|which|why|is|are|does|do|can|could|should|must)\b.*"
    r"\b(?:become|becomes|count as|counts as|classed as|considered)\b",
    # "is it ok for a member of staff to be on their own with a child?": a rule for everyone
    r"\bis it (?:ok|okay|alright|allowed|fine|acceptable|appropriate|safe|safer|best practice) for (?:a|an|any|staff|"
    r"members? of staff|volunteers?|teachers?|coaches|parents|adults?)\b",
    # a practice asked about: "is asking a young person directly about suicide harmful?"
    r"^\s*(?:is|does|should|can|would|could|will) \w+ing (?:to |with |about )?(?:a|an|any) (?:\w+ )?(?:child|pupil|"
    r"kid|student|young person|"
    r"person|adult|girl|boy|baby|teen|teenager|resident|client|patient)\b",
    # "is that financial abuse?": asking what a situation counts as
    r"\b(?:is|would|does|could) (?:that|this|it) (?:be |count as |class as )?(?:\w+ )?(?:abuse|neglect|exploitation|"
    r"grooming|a safeguarding (?:issue|concern|matter)|safeguarding)\b",
    # "what type of abuse is that?": asking what a situation is called
    r"\bwhat (?:type|kind|sort|category|form) of (?:\w+ )?(?:abuse|harm|neglect|exploitation|concern|risk)\b",
]

# An ordinary, explained cause: "fell over in the playground", "a bruise from hockey".
_ORDINARY_CAUSE = [
    r"\b(?:fell|fallen|falling) (?:over|off)\b", r"\bfirst aid(?:er)?\b", r"\bplasters?\b", r"\baccident(?:al|ally)?\b",
    r"\bfrom (?:hockey|football|rugby|netball|pe|sport|sports|practice|training|playing|the match)\b",
    r"\b(?:playing|during|at|in) (?:hockey|football|rugby|netball|pe|sport|sports|gymnastics|swimming|"
    r"the match)\b", r"\bparents? informed\b",
    r"\b(?:mum|dad|parents?|carers?) (?:informed|(?:was|were|has been|have been) (?:told|informed|called))\b",
    r"\bscuffle\b", r"\bboth fine\b", r"\bhow (?:do|should|can|would) (?:i|we|you) treat\b",
    r"\b(?:bump|bumped|banged|knocked) (?:it|his|her|their|into)\b", r"\bsaw (?:him|her|them) (?:fall|bump|trip)\b",
]

_QUESTION_START = re.compile(r"^\s*(?:(?:at|in|from|by|for|to|up to|until) (?=what|which|how|who))?"
                             r"(?:what|how|who|whats|what's|wat|when|where|which|why|should|can|could|do|does|is|"
                             r"are|must|would|will|were|any|anyone|has anyone|whose)\b", re.IGNORECASE)

# A particular person in a particular place: the message is a situation, not a question in general.
_SITUATION = [
    r"\b(?:she|he|they|i|we)(?:'s|'re|'ve|'ll| is| are| has| have| was| were| will| keeps?| says?| said| told|"
    r" wants?| won'?t| can'?t| doesn'?t| didn'?t| hasn'?t)\b",
    r"\b(?:says|said|told me|told us|told (?:his|her|their)|disclosed|mentioned|showed|texted|"
    r"messaged|rang|phoned|wrote|keeps saying|saying)\b",
    r"\b(?:my|our|this|the|a|one of (?:my|our|the)) (?:\w+ )?(?:child|pupil|student|boy|girl|lad|lass|kid|teen|"
    r"teenager|baby|toddler|infant|tutee|client|patient|resident|service user|neighbour|mum|dad|woman|man|lady|"
    r"young person|young man|young woman|care leaver|victim|son|daughter|foster \w+)s?\b",
    r"\b(?:\d+ ?(?:yo|y/o|yr old|year old|yr|year-old|-year-old|weeks? old|wk old|months? old)|year \d+|yr \d+|y\d+)\b",
    r"\b(?:there'?s|there is|there are|theres)\b", r"\b(?:i|we) can (?:hear|see)\b", r"\bfound\b",
    # a person named first, the way chat starts: "man with dementia…", "girl in year 2 says…"
    r"^(?:an? |the |our |my |this |one )?(?:\w+ )?(?:man|woman|lady|gentleman|boy|girl|child|lad|teen|teenager|baby|"
    r"toddler|resident|client|pupil|student|patient|tenant|service user|young person|care leaver)s? "
    r"(?:with|in|from|at|on|who|whose|aged|came|comes|turned up|arrived|has|had|is|was|keeps|says|said|told|"
    r"won'?t|can'?t|isn'?t|hasn'?t)\b",
    # a parent or a third person doing something: "mum won't say what happened", "she nannies for them"
    r"\b(?:mum|mom|dad|stepdad|stepmum|mother|father|nan|gran)(?:'s)? (?:won'?t|wont|can'?t|says|said|keeps|is|has|"
    r"not|isn'?t)\b",
    r"\b(?:she|he|they) (?:\w+(?:ies|es|ed)|took|kept|made|got|ran|went|came|left|lives|works|stays)\b",
]


# Someone has told of it: a disclosure is a present situation even when phrased as a question about procedure.
_SAID = (r"(?:'s| has| have| had| just| then)? (?:says|said|told|tells|disclosed|discloses|showed|shows|texted|"
         r"messaged|rang|phoned|wrote|keeps saying|is saying|was saying|mentioned)\b")
# What a document says is not a disclosure: "the policy says 'if a child is in immediate danger call 999'".
_DOCUMENT = (r"(?:\w+ )?(?:policy|policies|guidance|procedures?|document|doc|flowchart|threshold|leaflet|form|law|act|"
             r"website|poster|handbook|framework|protocol|book|report|review|training|slides|paper|article|section|"
             r"chapter|course|module|scr|kcsie|it)\b")
_REPORTED = [
    rf"\b(?:she|he|they|i|we|(?:my|our|this|the|one of (?:my|our)) (?!{_DOCUMENT})(?:\w+ )?\w+|"
    r"\d+ ?(?:yo|y/o|yr old|year old)|(?:year|yr) \d+)" + _SAID,
    # "lad says…", "pupil in year 9 told me…"
    rf"^(?!(?:if|when|what|how|should|do|can|after|before|once|unless|who|whose|which|where|why|is|are|does|would|"
    rf"will|could|must)\b)(?!(?:\w+ ){{0,2}}?{_DOCUMENT})"
    r"(?:\w+ ){0,2}?\w+" + _SAID,
    r"\b(?:told|showed|texted|messaged) (?:me|us)\b", r"\band (?:says|said|told|keeps saying)\b",
]


# Where the practitioner learnt of the topic: a course, the news. What "they said" there is not a disclosure, and
# the day it was said does not time a danger: "on a course they said a paracetamol overdose can have delayed
# effects, is that true" (urgent_check8 c8n16), "in training today we discussed sextortion" (urgent_tune8 t8n03).
# Not a lesson, an assembly or football "at training": a child may say something there.
_TOPIC_SOURCE = (r"(?:training|course|webinar|lecture|workshop|seminar|conference|module|inset|induction|news|article|"
                 r"paper|podcast|documentary|refresher|cpd)")
_TOPIC_SAID = re.compile(r"\b(?:on|in|during|from) (?:(?:a|an|the|our|my|this|that|today'?s|yesterday'?s) )?(?:\w+ )?"
                         + _TOPIC_SOURCE + r"\b,? (?:they|it|the (?:trainer|speaker|presenter|tutor|lecturer|"
                         r"facilitator|instructor|article|paper|report|police|nurse|doctor))(?: \w+)? (?:said|says|"
                         r"told us|tells us|mentioned|explained|showed us)\b", re.IGNORECASE)
_TOPIC_TIMED = re.compile(r"\b(?:on|in|during|from|at) (?:(?:a|an|the|our|my|this|that) )?(?:\w+ )?(?:"
                          + _TOPIC_SOURCE + r"|supervision|staff meeting|team meeting|briefing) (?:\w+ )?(?:today|"
                          r"this (?:morning|afternoon|evening)|tonight|earlier)\b|\b(?:today|this (?:morning|"
                          r"afternoon|evening))'?s? (?:\w+ )?(?:" + _TOPIC_SOURCE + r"|supervision|briefing)\b",
                          re.IGNORECASE)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


SIGNALS = {name: _compile(patterns) for name, patterns in _SIGNALS.items()}
IMMEDIATE_STRONG = _compile(_IMMEDIATE_STRONG)
IMMEDIATE = _compile(_IMMEDIATE_STRONG + _IMMEDIATE_WEAK)
IMMEDIATE_WEAK = _compile(_IMMEDIATE_WEAK)
TIME_NOW = _compile(_TIME_NOW)
# A weapon at hand or a person in its way, without the time words: what keeps kit from reading as everyday.
_AT_HAND = _compile(_IMMEDIATE_STRONG[len(_TIME_NOW):])
# "has just told me she was raped in the 1960s": the telling is now, not the event.
# "told me today she was abused when she was 8": the day qualifies the telling.
_TELLING_NOW = re.compile(r"\b(?:has|have)? ?just (?:told|said|disclosed|mentioned|shared)\b|\b(?:has|have) (?:just )?"
                          r"(?:told|disclosed)\b|\b(?:told|said|disclosed|mentioned|shared|wrote|messaged|rang|phoned)"
                          r"(?: (?:me|us|(?:the|her|his|their) \w+))?(?: (?:this|that))? (?:today|earlier|this "
                          r"(?:morning|afternoon|evening)|tonight|now)\b", re.IGNORECASE)
# "has just come back after being missing": the return is now, the danger is over.
_JUST_RETURNED = re.compile(r"\b(?:has |have )?just\b(?= (?:came|come|got|returned|walked) (?:back|home|in)\b)",
                            re.IGNORECASE)
PAST = _compile(_PAST)
ABOUT_THE_TOPIC = _compile(_ABOUT_THE_TOPIC)
HYPOTHETICAL = _compile(_HYPOTHETICAL)
SITUATION = _compile(_SITUATION)
REPORTED = _compile(_REPORTED)
ORDINARY_CAUSE = _compile(_ORDINARY_CAUSE)
# Harm done on purpose is no accident, whatever else the message says ("policy on first aid? lad has just cut his
# arm deliberately").
DELIBERATE = _compile([r"\b(?:deliberately|on purpose|intentionally|purposely|purposefully)\b"])
# Harm someone is doing to someone as it is told, which a sport or a game named beside it does not explain: "at the
# match a grown man grabbed a 10 year old by the neck and is shaking him", "one of the dads is punching his son on the
# touchline and won't stop".
DONE_TO_SOMEONE_NOW = _compile([
    r"\b(?:is|are|'s|'re|keeps?|still) (?:\w+ )?(?:hitting|punching|kicking|slapping|beating|shaking|strangling|"
    r"choking|dragging|attacking|stamping on|battering|throttling|whipping|pinning|throwing)\b",
    r"\b(?:won'?t|will not|doesn'?t|does not) stop (?:hitting|punching|kicking|slapping|beating|shaking|hurting)?\b",
    r"\b(?:grabbed|grabbing|grabs|held|holding|holds|pinned|pinning|dragged|dragging|lifted|lifting) (?:\w+ ){1,4}by "
    r"(?:the|his|her|their) (?:neck|throat|hair)\b",
])
# A lesson, a session or training in a subject or a sport is where something happens, not a lesson about the topic:
# "art lesson, he's got the scissors to her throat", "at football training a dad turned up with a golf club",
# "during the drama session a student said she has taken an overdose". A lesson or training about the topic keeps
# its own words ("a PSHE lesson on knife crime", "safeguarding training").
ACTIVITY = re.compile(
    r"\b(?:football|rugby|netball|hockey|cricket|tennis|basketball|rounders|athletics|swimming|swim|dance|dancing|"
    r"ballet|gym|gymnastics|boxing|karate|judo|taekwondo|martial arts|climbing|cycling|riding|running|pe|p\.e\.?|games|"
    r"art|music|drama|maths?|science|chemistry|biology|physics|english|history|geography|dt|d&t|design|food tech|"
    r"food|cooking|french|spanish|german|computing|ict|guitar|piano|singing|choir|driving) (?:lessons?|training|"
    r"sessions?|practice|class(?:es)?|club)\b", re.IGNORECASE)
# A case made up to ask about: "training scenario: a boy says he'll jump", "hypothetically, if she…".
# Someone who chooses to be on their own is not left alone: "resident with capacity wants to go to the pub on his own".
_ALONE_SIGNALS = {"child alone or neglected"}
# Someone who wants to marry is not being forced to: "client with learning disability wants to get married next year".
WANTS_TO_MARRY = _compile([r"\b(?:wants?|wanting|plans?|planning|hopes?|hoping|would like) to (?:get married|marry|be"
                           r" married)\b",
                           # a marriage told as chosen or welcomed, or someone else's wedding to attend: "chose him
                           # herself", "both families happy", "to her boyfriend", "her cousin's wedding, she's really
                           # excited" (urgent_tune15)
                           rf"\bchose (?:him|her|them) {_SELF}\b", r"\b(?:both|the) families (?:are )?(?:happy|pleased|"
                           r"delighted|thrilled)\b", r"\b(?:married|engaged) to (?:her|his|their) (?:long[- ]term )?"
                           r"(?:boyfriend|girlfriend|partner|fianc\w*)\b",
                           r"\b(?:she|he|they)(?:'s| is|'re| are) (?:really |so |very )?(?:excited|looking forward)\b"])
_MARRIAGE_SIGNALS = {"FGM or forced marriage"}
OWN_CHOICE = _compile([r"\b(?:has|have|with|got) (?:full |the )?(?:mental )?capacity\b",
                       r"\b(?:can|could|may) (?:she|he|they) (?:refuse|decline|say no|choose|decide)\b",
                       r"\b(?:mum|mom|dad|parents?|carers?|family)(?:'s| has| have| is| are)? (?:agreed|given (?:perm"
                       r"ission|"
                       r"consent)|ok'?d|okayed|happy with it|fine with it)\b",
                       # locking her own door by choice: "a resident likes to lock her room door at night"
                       r"\b(?:wants?|chooses?|prefers?|likes?|insists? on|asked) to lock (?:her|his|their) (?:\w+ )?"
                       r"doors?\b",
                       r"\b(?:wants?|chooses?|prefers?|likes?|insists? on|decided|asked) to (?:go|live|walk|travel|be|"
                       r"stay|get|shop|sit)\b.{0,40}\b(?:on (?:his|her|their) own|alone|by (?:him|her|them)sel(?:f|ve"
                       r"s))\b",
                       # asking leave to do something alone: "a 16 year old asked if she can register with a GP on
                       # her own"
                       r"\b(?:asked|asks|asking|wants to know|wondering|wondered) (?:me |us )?(?:if|whether) (?:she|he|"
                       r"they) (?:can|could|may|is allowed to|are allowed to)\b.{0,40}\b(?:on (?:his|her|their) own|"
                       r"alone|by (?:him|her|them)sel(?:f|ves))\b"])
# "what's the referral route when a pupil says the man they're living with … keeps their passport?": "when" (not
# "if") someone tells of a danger that goes on is a report asked about, not a question in general.
WHEN_TOLD = _compile([r"\bwhen (?:a|an|the|my|our|this|one of (?:my|our|the)) (?:\w+ )?(?:child|pupil|kid|student|you"
                      r"ng person|"
                      r"girl|boy|lad|lass|teen|teenager|client|patient|resident|tenant|service user|young man|"
                      r"young woman|"
                      r"care leaver|adult|woman|man|mum|dad|parent)s? (?:says|tells|told|discloses|disclosed|reports|"
                      r"reported|mentions|mentioned|shows|showed)\b"])
# "…when the mum who's picking up is slurring": a particular person, picked out by what they are doing now, is no
# case in general.
WHEN_SOMEONE_IS_DOING = _compile([r"\bwhen (?:the|this|that|my|our) (?:\w+ ){1,2}who(?:'s| is| are|'re) \w+ing\b"])
# Someone already in a formal process ("can't really follow the s42 enquiry", "at conference"): a question about
# it is about procedure, not an emergency told without its words.
IN_PROCESS = _compile([r"\b(?:s ?42|section 42|s ?47|section 47|enquiry|enquiries|conference|core group|cp plan|child "
                       r"protection plan|cin plan|child in need plan|strategy (?:meeting|discussion)|advocate|advocacy|"
                       r"best interests? (?:meeting|decision)|care proceedings|court hearing)\b"])
# Going missing as a pattern, not an episode: "looked after child keeps going missing, who chairs the missing
# strategy meeting?" asks about the repeats; a cue of now ("…and she's gone again tonight") or another sign of
# someone missing ("…hasn't come back since friday") still makes it an emergency.
HABITUAL_MISSING = _compile([
    r"\bkeeps? (?:on )?(?:going|running|being reported) (?:missing|off|away)\b",
    r"\b(?:often|regularly|frequently|repeatedly|always|persistently|habitually) (?:goes|go|going|gone|went|been|"
    r"runs?|running|ran) (?:missing|off|away)\b",
    r"\b(?:goes|go|going|gone|went|been|runs?|running|ran) (?:missing|off|away) (?:a lot|lots|regularly|often|"
    r"frequently|all the time|repeatedly|again and again|every (?:weekend|week|night|few days)|most (?:weekends|"
    r"nights|weeks)|(?:\d+|two|three|four|five|six|several|many|a few|lots of|loads of) times)\b",
    r"\brepeat(?:ed(?:ly)?)? missing\b", r"\b(?:frequent|regular|repeat(?:ed)?|multiple|several) missing\b",
])
# Self-harm as what someone is known for, not what is happening: "year 10 girl who self-harms wants to go on the
# residential", "a history of self-harm", "if her son self-harms at school".
SELF_HARM_AS_A_TRAIT = _compile([
    r"\b(?:who|that) (?:self[- ]?harms|(?:has|have) (?:self[- ]?harmed|cut (?:him|her|them)sel(?:f|ves)) "
    r"(?:before|in the past|previously))\b",
    r"\b(?:history|hx|past) of (?:self[- ]?harm(?:ing)?|cutting|overdos(?:es|ing)|overdose|burning (?:him|her|them)"
    r"sel(?:f|ves))\b", r"\bself[- ]?harm(?:ing)? scars\b",
    # the history as a record to pass on: "sharing a pupil's self harm history with their new school"
    r"\bself[- ]?harm(?:ing)? (?:history|hx|background)\b",
    # a spell without it: "hasn't self-harmed for over a year"
    r"\b(?:hasn'?t|hasnt|has not|haven'?t|have not|not) (?:self[- ]?harmed|cut (?:him|her|them)sel(?:f|ves)|cut) "
    r"(?:for|in|since)\b",
    # known and managed: "her self-harm is being managed by CAMHS"
    r"\bself[- ]?harm(?:ing)? (?:is|has been|was) (?:being |already )?(?:managed|known|supported|treated|dealt with|"
    r"monitored)\b",
    # now and then: "says she sometimes scratches her arms when she's stressed"
    r"\b(?:sometimes|occasionally|now and (?:then|again)|every so often|on and off|used to) (?:\w+ )?"
    r"(?:self[- ]?harms?|scratch\w* (?:at )?(?:his|her|their) (?:arms?|legs?|wrists?|skin|thighs?)|"
    r"cuts? (?:him|her|them)sel(?:f|ves)|"
    r"hurts? (?:him|her|them)sel(?:f|ves))\b",
    r"\b(?:if|whether|in case) (?:(?:he|she|they|(?:his|her|their|a|the) \w+) )(?:ever )?self[- ]?harms\b",
])
# A weapon carried as a habit, said of the person: "a lad who carries a knife because he's scared of a gang".
WEAPON_AS_A_TRAIT = _compile([r"\b(?:who|that) (?:carries|carry|has carried|used to carry|has been known to carry) "
                              r"(?:a |an )?(?:knife|knives|weapons?|blades?)\b"])
# What a danger word is when it only names a pattern or a trait (see `_only_as_a_pattern`).
# Marks of self-harm that has healed: "scars from old self-harm", "her old self-harm marks show in PE", "faded cutting
# scars". Said of a trait whether asked about or told.
SELF_HARM_HEALED = _compile([
    r"\b(?:old|previous|past|historic(?:al)?|former|faded|healed) (?:self[- ]?harm(?:ing)?|cutting)"
    r"(?: (?:scars|marks))?\b",
    r"\b(?:scars|marks) (?:from|of) (?:(?:old|previous|past|historic|former) )?(?:self[- ]?harm(?:ing)?|cutting)\b",
])
# Someone missing named only as the subject of a record: "the notification about the missing child", "the report on
# the missing teenager from last month".
MISSING_RECORDED = _compile([
    r"\b(?:notifications?|reports?|forms?|referrals?|logs?|records?|paperwork|notes|files?|chronology|write[- ]?up|"
    r"emails?) (?:about|on|of|for|regarding|re) (?:the|a|an|our|my|this|that|his|her|their) (?:\w+ )?missing (?:\w+ )?"
    r"(?:child|children|kid|teen|teenager|girl|boy|lad|young person|person|resident|pupil|student|episode)\b",
])
# "Cutting" in "a history of cutting" is self-harm as a trait, not FGM.
_AS_A_PATTERN = {"missing": _compile([HABITUAL_MISSING.pattern, MISSING_RECORDED.pattern]),
                 "self-harm": _compile([SELF_HARM_AS_A_TRAIT.pattern, SELF_HARM_HEALED.pattern]),
                 "weapon": WEAPON_AS_A_TRAIT,
                 "FGM or forced marriage": _compile([SELF_HARM_AS_A_TRAIT.pattern, SELF_HARM_HEALED.pattern])}
_TOLD_AS_A_TRAIT = {"self-harm": SELF_HARM_HEALED, "FGM or forced marriage": SELF_HARM_HEALED}
# A clause about people in general, plural and in the simple present ("students who carry weapons for protection",
# "lads in our youth club talk about carrying knives"): a topic, not someone in danger now. A clause that says
# what is going on ("kids in the park are fighting") or has been ("…who have been cutting") is not general.
GENERIC_PLURAL = re.compile(r"^(?:(?:some|many|most|lots of|a lot of|loads of|all|other|older|younger|our|your) )?"
                            r"(?:\w+ )?(?:children|kids|pupils|students|young people|teens|teenagers|lads|boys|"
                            r"girls|adults|families|parents|residents|clients|service users|people) (?:who|that|with|"
                            r"in|at|from|on|\w+s)\b", re.IGNORECASE)
_NOT_SIMPLE_PRESENT = re.compile(r"\b(?:are|is|were|was|have|has|had|'re|'s|'ve|said|told|tell|says|say)\b",
                                 re.IGNORECASE)


def is_generic_plural(clause: str) -> bool:
    """People in general, in the simple present, with nothing now: see `GENERIC_PLURAL`."""
    return (bool(GENERIC_PLURAL.match(clause)) and not _NOT_SIMPLE_PRESENT.search(clause)
            and not IMMEDIATE_STRONG.search(clause))


SCENARIO = _compile([r"\bscenarios?\b", r"\bhypothetical(?:ly)?\b", r"\brole[- ]?play\b", r"\bcase stud(?:y|ies)\b",
                     r"\bfor (?:a|an|the|my|our) (?:quiz|exam|essay|assignment)\b", r"\bimagine (?:a|that|if)\b",
                     # a question set to learners: "true or false: you should promise a child…", "test question: a
                     # resident with dementia has unexplained bruising…", "multiple choice - …" (urgent_tune14)
                     r"\btrue or false\b", r"\bmultiple[- ]choice\b",
                     # a part played: "in the drama lesson they acted out a scene about a stabbing"
                     r"\b(?:act(?:ed|ing|s)?|perform(?:ed|ing|s)?) (?:out )?(?:a|the|their) (?:\w+ )?"
                     r"(?:scene|play|sketch)\b",
                     r"\b(?:quiz|exam|test|assessment|course|training|revision) questions?\b",
                     r"\bquiz (?:for|on|about)\b"])


@dataclass(frozen=True)
class RuleVerdict:
    urgent: bool
    reason: str  # the rule that decided; never the user's words
    signal: str | None = None  # the kind of danger named, when any
    vetoed: bool = False  # danger words read as past or general: an explicit cue against urgency
    # A question with no danger word and nothing present ("lady has capacity and says she doesn't want
    # help, can she refuse?"): the meaning detector alone would decide it, reading mostly its topic.
    procedure_question: bool = False
    # …and it names a particular person ("12yo at the bus stop says…, can I take her home?"): where an
    # emergency in words the rules do not know would land, so the model reads it at a threshold of its own.
    situated: bool = False


def normalise(text: str) -> str:
    """One line, straight apostrophes: "can’t" and "can't" match the same rule."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


# Quotation marks, not apostrophes: a word's own apostrophe ("he'll", "can't") sits between letters.
_QUOTE_MARK = re.compile(r"[\"\u201c\u201d]|(?<![\w])'|'(?![\w])")


def unquoted(message: str) -> str:
    """The message as the rules read it: words quoted as said ("he'll 'break his legs'") match as if unquoted."""
    return " ".join(_QUOTE_MARK.sub(" ", message).split())


# Asking what to do, also about others' duties: "what do staff do first", "who rings the police".
_ASKS = re.compile(r"\b(?:should|do|can|must|could|would|shall) (?:i|we)\b|\bwhat (?:do|should|can|must) (?:i|we|"
                   r"staff|they|you|carers|teachers|coaches|volunteers|parents)\b|"
                   r"\bwhat (?:should|can|must|does) (?:he|she|the (?:leader|coach|manager|dsl|school|teacher|worker|"
                   r"volunteer|club|nurse|officer))\b|"
                   r"\bwho do (?:i|we)\b|\bhow (?:do|should|can|long)\b|"
                   r"\bwho (?:has|needs|ought|is meant) to be (?:told|informed|notified)\b", re.IGNORECASE)


# A condition, then what is asked, in chat without a comma or a question mark: "if a young person self harms on the
# residential who rings the parents".
_CONDITION_THEN_ASKED = re.compile(r"^\s*(?:if|when|whenever|in case)\b[^?]*\b(?:who|what|whats|what's|how|which|"
                                   r"where) (?:do|does|should|can|must|would|will|is|are|rings?|calls?|contacts?|"
                                   r"tells?|informs?|phones?|deals?|needs?|has|have)\b", re.IGNORECASE)


def is_question(message: str) -> bool:
    # "preschool - who rings the police when…": chat puts the subject first, then the question.
    asked = re.split(r"\s+[-–:]\s+", message)[-1]
    return (message.rstrip().endswith("?") or bool(_QUESTION_START.match(message))
            or bool(_QUESTION_START.match(asked)) or bool(_ASKS.search(message))
            or bool(_ASKS_OF_AN_AGENCY.search(message)) or bool(_CONDITION_THEN_ASKED.match(message)))


def signals_in(message: str) -> list[str]:
    return [name for name, pattern in SIGNALS.items() if pattern.search(message)]


# Where one part of a message ends and the next begins: a sentence, or a dash or colon between two parts
# ("who do I contact - elderly lady says her son hit her"). Commas are not boundaries: "if a child turns up
# with bruises and says they fell, what do I do?" is one question.
_CLAUSE_BOUNDARY = re.compile(r"(?<=[?.!;])\s+|\s+[-\u2013]\s+|:\s+")
# A report after a comma that follows the question: "is this first aid or safeguarding, boy just swallowed a bottle
# of paracetamol". Read only when the message starts by asking, so a condition ("if a child says they fell, what do
# I do?") is never cut from its "if".
_ASKING_HEAD = re.compile(r"^((?:is|are|does|do|should|can|could|who|what|whats|what's|how|which|where|am|must|would)"
                          r"\b[^,]*?),\s+(?=\S)", re.IGNORECASE)
# The asking tail after a comma: "…nobody knows where she is, what's the procedure?".
_ASKING_TAIL = re.compile(r",\s+(?=(?:what|whats|what's|who|how|should|do|does|can|could|is|am|are|must|would|any|"
                          r"where|which)\b)", re.IGNORECASE)
# A clause that is itself a condition stays general however it is cut out: "if a child discloses abuse".
# …or holds one asked about in general: "new starter asked what to do if a child goes missing on a trip".
_GENERAL_CONDITION = re.compile(r"\b(?:if|whether|in case) (?:a|an|any|someone|somebody|you|they)\b", re.IGNORECASE)
_CONDITION = re.compile(r"^\s*(?:what if|if|when|whenever|whether|in case|suppose|unless|once|after|before|"
                        r"in a scenario)\b", re.IGNORECASE)

# The verdicts that come from how the whole message is framed as a question; a part of it that is not a
# question may still say that someone is in danger now.
_GENERAL_QUESTION = "a question in general ('if a child…')"
_QUESTION_WITHOUT_SITUATION = "danger words in a question with no situation"
_SCENARIO_VERDICT = "a scenario or a hypothetical case, not a person"
_ABOUT_THE_TOPIC_VERDICT = "about the topic (training, policy, procedure), not a person"
_QUESTION_FRAMES = (_GENERAL_QUESTION, _QUESTION_WITHOUT_SITUATION)


def clauses(message: str, *, asking_tails: bool = False) -> list[str]:
    """The parts of a message, in order; with `asking_tails`, a question after a comma is a part too."""
    parts = _CLAUSE_BOUNDARY.split(message)
    if asking_tails:
        parts = [piece for part in parts for piece in _ASKING_TAIL.split(part)]
    return [part for part in (p.strip() for p in parts) if part]


_ANY_CONDITION = re.compile(r"\b(?:if|when|whenever|whether|in case|suppose|supposing|unless)\b", re.IGNORECASE)


def _split_asking_head(part: str) -> list[str]:
    """A part that starts by asking, then tells after a comma, is two: the question and the report."""
    head = _ASKING_HEAD.match(part)
    if head is None or _ANY_CONDITION.search(head.group(1)):
        return [part]
    return [head.group(1), part[head.end():]]


def rule_verdict(text: str) -> RuleVerdict:
    """Danger now, read clause by clause when only the way a question is asked argues against it.

    A question frame ("what do I do if…", "do I need permission to…") covers the clause it is in, not a
    report beside it: "do i need permission from the dsl to call 999? boy is fitting in the playground"
    is an emergency. Asking what the procedure is ("…she's not come home, what's the procedure?") does
    not make a report a question about the topic. Frames that cover the whole message (training, policy,
    the past) are not re-read: "training scenario: a boy is on the roof" stays about the topic."""
    message = unquoted(normalise(text))
    verdict = _message_verdict(message)
    if verdict.urgent:
        return verdict
    if verdict.reason not in (*_QUESTION_FRAMES, _ABOUT_THE_TOPIC_VERDICT):
        return verdict
    parts = [piece for part in clauses(message, asking_tails=True) for piece in _split_asking_head(part)]
    # About the topic only when every word of the topic is in a part that asks: "what's the procedure?", not
    # "the policy".
    if verdict.reason == _ABOUT_THE_TOPIC_VERDICT and any(
            ABOUT_THE_TOPIC.search(part) for part in parts if not is_question(part)):
        return verdict
    for clause in parts:
        if (clause == message or _CONDITION.match(clause) or _GENERAL_CONDITION.search(clause) or is_question(clause)
                or is_generic_plural(clause)):
            continue
        found = _message_verdict(clause)
        # A bare statement with a danger word ("the exploitation conference is on 3 March") is not enough
        # here: the part must name a strong danger, a person, or a present time.
        if found.urgent and (found.signal in _STRONG or SITUATION.search(clause) or IMMEDIATE.search(clause)):
            return RuleVerdict(True, f"{found.reason} (in one part of a question)", found.signal)
    return verdict


# Signals that are themselves a present state, however they are asked about: someone missing, a body that
# will not wake, a weapon, suicidal intent, self-harm.
_PRESENT_BY_NATURE = _STRONG | {"missing"}
_CONCERN_TO_PASS_ON = "a concern asked about (refer, record, tell), nothing present"
# What practitioners ask about a concern they will pass on: refer it, record it, tell the DSL, early help.
# "Jake in year 5 told me his mum's boyfriend shouted at him, who do I tell?" reports something to pass on,
# not danger now; "…he'll batter him when he gets home, who do I tell?" keeps its cue of the present.
_HANDLING = re.compile(
    r"\b(?:refer(?:ral|rals|red|ring)?|record(?:ed|ing)?|log(?:ged|ging)?|flag(?:ged|ging)?|write (?:it|this|that) up|"
    r"pass(?:ed|ing)? (?:it |this |that )?on|report (?:it|this|that)\b|report(?:ed)? to|"
    r"who (?:do|should|would|can) (?:i|we) (?:tell|speak|talk|report|go|inform|contact|pass|give)|"
    r"tell (?:the )?(?:dsl|deputy|safeguarding lead|someone|anyone|my manager|social services|the parents)|"
    r"early help|next steps?|(?:a|the) concern|safeguarding (?:concern|issue|matter)|pastoral|cpoms|my ?concern|"
    r"anything (?:to do|else|i (?:should|need to|can) do|we (?:should|need to|can) do)|"
    r"(?:do|should|must) (?:i|we) (?:still )?(?:need|have) to (?:do (?:anything|something)|tell|report|refer|record|"
    r"log|flag|let)|"
    r"what (?:do|should|can) (?:i|we) do with (?:it|this|that)|support (?:her|him|them)|signpost)\b",
    re.IGNORECASE)


# An incident named by its day, as the record names it: "writing up the self-harm incident from monday", "the incident
# form for the overdose on friday", "last thursday's assault". The day is when it happened, not when it goes on.
_INCIDENT_DATED = re.compile(
    r"\b(?:incident|episode|overdose|assault|attack|fight|disclosure)s?(?: (?:form|report|log|record|write-?up|"
    r"paperwork))? (?:from|on) (?:the weekend|(?:last )?"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
    r"|\b(?:last )?(?:mon|tues|wednes|thurs|fri|satur|sun)day'?s (?:\w+ )?(?:incident|episode|overdose|assault|attack|"
    r"fight|disclosure)\b", re.IGNORECASE)
# When a reported event happened, read as over: "last week", "at the weekend", "a long time ago".
OVER = re.compile(r"\blast (?:week|weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day|time|summer|christmas|"
                  r"holidays?)\b|"
                  r"\b(?:at|over) the weekend\b|\ba (?:long )?(?:time|while) ago\b|\bago\b|\bbefore (?:christmas|"
                  r"easter|half term|the holidays|the summer)\b|\bover the (?:summer|holidays|half term)\b|"
                  r"\bwhen (?:we|they|she|he) lived\b|" + _INCIDENT_DATED.pattern, re.IGNORECASE)
# Someone named by what was done to them, as a finished event: "the brother of the boy who was stabbed", "the
# lad who overdosed at the weekend" (with OVER). Read as over only in a procedure question, and never when
# something still goes on (`_STILL_GOING`).
DONE_TO = re.compile(r"\b(?:who|that|whose \w+) (?:was|were|had been|got) (?:\w+ )?(?:\w+ed|\w+en|hit|cut|shot|hurt|"
                     r"burnt)\b(?! (?:and|but) (?:is|are|'s)\b)", re.IGNORECASE)
# Said to have done no harm, or no danger now: "no marks", "nobody got hurt", "she's not in danger she says".
NO_HARM = re.compile(r"\bno (?:marks?|injur(?:y|ies)|bruis\w*|visible \w+)\b|"
                     r"\b(?:nobody|no one|no-one) (?:got |was )?hurt\b|"
                     r"\b(?:wasn'?t|was not|isn'?t|is not|not) (?:hurt|injured|in danger|at risk)\b|"
                     r"\b(?:seems?|seemed|looks?|looked|is|'s|was) (?:fine|ok|okay|happy|alright|well)\b|\ball fine\b",
                     re.IGNORECASE)


def asks_how_to_handle(message: str) -> bool:
    """The part of the message that asks, asks how to pass a concern on: refer, record, tell the DSL."""
    asked = [part for part in clauses(message, asking_tails=True) if is_question(part)]
    return any(_HANDLING.search(part) for part in asked)


_ASKING_NOW = re.compile(r"(?<!right )\bnow\b", re.IGNORECASE)
# A report made up as a condition: "if a 16yo tells me they're having sex with their 17yo bf, is that a referral?"
_CONDITIONAL_REPORT = re.compile(r"\b(?:if|in case|suppose|supposing) (?:a|an|any|one of (?:my|our|the)|someone|"
                                 r"somebody|my|our|the|your)\b(?: [\w']+){0,5}? (?:tells|says|discloses|reports|"
                                 r"mentions|shows)\b", re.IGNORECASE)


# The parts of a report: sentences, commas, and "and"/"but" between two statements.
_REPORT_PART = re.compile(r"(?<=[?.!;,])\s+|\s+(?:and|but|though|although)\s+|\s+[-\u2013]\s+|:\s+", re.IGNORECASE)
_BARE_NOW = re.compile(r"\bnow\b", re.IGNORECASE)
# Someone back within reach, or in touch again: "he's back living with them now", "her ex is out of prison now",
# "he is round at the house now". Such a part keeps its "now": the danger may be here again.
_BACK_IN_REACH = re.compile(r"\b(?:back|returned|released|out of (?:prison|jail)|out now|round|around|over|there|"
                            r"here|visiting|visits|staying|stays|living|lives|moved in|moving in|in touch|"
                            r"contact(?:ed|ing)?|messag\w*|texting|texted|turned up|turning up|came|come|coming|"
                            r"access|sees|seeing|with (?:her|him|them|the))\b", re.IGNORECASE)


def _state_now_removed(message: str) -> str:
    """The message without a "now" that tells how things stand after a past event rather than a danger: in a part
    with no danger signal ("he disclosed years ago that his uncle touched him, the uncle is in prison now", "she was
    cuckooed last year, has a support worker now"). Used only where a past marker was found, and never when the
    danger is suicidal intent, self-harm, a medical emergency, a weapon or someone missing; a "now" in the part that
    names the danger, in a part that tells someone is back within reach ("abused by her stepdad last year, he's
    back living with them now") and every other cue of the present still count."""
    if not _BARE_NOW.search(message):
        return message
    parts = _REPORT_PART.split(message)
    kept = [part if signals_in(part) or _BACK_IN_REACH.search(part) else _BARE_NOW.sub(" ", part) for part in parts]
    return " ".join(kept)


def _present(message: str) -> bool:
    """Something is happening now, or is ongoing or coming. The weaker cues ("still", "keep", "again",
    "tomorrow") count only in what the message reports, not in what it asks: "…came back fine, case
    closed. do we keep monitoring?" asks about the record, not about a danger that goes on."""
    if _present_strongly(message):
        return True
    reported = [part for part in clauses(message, asking_tails=True) if not is_question(part)]
    return bool(IMMEDIATE_WEAK.search(" ".join(reported) if reported else message))


def _present_strongly(message: str) -> bool:
    """A strong cue that it is happening now ("tonight", "is outside", "when he gets home")."""
    parts = clauses(message, asking_tails=True)
    reported = [part for part in parts if not is_question(part)]
    # "now" in what is asked beside a report times the asking ("…got out of it last year, do we need to do
    # anything now?"), not the danger; "right now" and every other cue still count wherever they are.
    asked = [_ASKING_NOW.sub(" ", part) if reported else part for part in parts if is_question(part)]
    return bool(IMMEDIATE_STRONG.search(" ".join(reported + asked)))


# What is asked about the procedure around a concern, not what to do about a danger: how it is classed (level,
# threshold, category), the record or form and who receives it, the outcome or feedback, another agency's part,
# timescales, consent. "12yo has started cutting herself, what threshold level would that be?", "FGM report
# done - who informs the parents?", "after the medical for the toddler with the bruise will I hear the result?".
# Asking what to do or whom to ring ("who do I call", "how long do I wait before ringing the police") is not
# among them: it is how an emergency is asked about.
_AGENCY = (r"(?:the )?(?:police|social care|social services|children'?s services|adult social care|the la|local "
           r"authority|council|sw|social worker|lado|gp|health visitor|hv|school nurse|paed\w*|ofsted|cqc|camhs|mash|"
           r"school|nursery|dsl|nrm|home office|hospital)")
# What another agency will do, or who keeps the record, asked without a question mark: "will MASH let me know what
# happens", "once the FGM report's been made does the GP get a copy", "once the order is made who keeps a copy".
_ASKS_OF_AN_AGENCY = re.compile(rf"(?:^|\b(?:once|when|after|if|so|and|but)\b.{{0,80}}?)(?:\b(?:will|does|do|did|would|"
                                rf"should|can|could|must|is|are) {_AGENCY} (?!(?:is|are|was|were)\b)\w+|\bwho (?:keeps|"
                                r"gets|holds|has|sends|receives) (?:a|the) (?:copy|copies|form|record|file|report|"
                                r"notes|original)\b)", re.IGNORECASE)
PROCEDURE_ASKED = _compile([
    # how it is classed
    r"\b(?:what|which|wat|whats|what'?s the) (?:\w+ )?(?:level|levels|threshold|category|categories|tier|box|boxes|"
    r"section|heading|code)\b",
    r"\b(?:what|which) (?:type|kind|sort|form) of (?:\w+ )?(?:abuse|harm|neglect|referral|concern|risk)\b",
    r"\blevel (?:[1-4]|one|two|three|four)\b", r"\bthreshold\b", r"\bcontinuum\b", r"\bcategor(?:y|ies|ise|ize)\b",
    r"\b(?:is|would|could|does) (?:that|this|it) (?:be |count as |class as )?(?:a |an )?(?:\w+ ){0,2}(?:abuse|neglect|"
    r"exploitation|grooming|risk|concern)\b",
    # one thing or another: "is that self-harm or anxiety for the referral?", "…a criminal exploitation referral or a
    # youth justice one?"
    r"\b(?:is|would|could|does|should) (?:that|this|it) (?:be |count as |class as |go (?:down )?as )?(?:a |an )?"
    r"[\w'-]+(?: [\w'-]+){0,3} or (?:a |an |the )?[\w'-]+",
    r"\b(?:count|counts|class|classed|classified|treated|recorded|logged) as\b",
    # how a kind of sign is classed in general: "is a bruise on a non mobile baby always a referral?" (urgent_tune14)
    r"\b(?:is|are) (?:a|an|any) (?:[\w'-]+ ){1,8}?(?:always|automatically|definitely|necessarily) (?:a |an )?"
    r"(?:referral|safeguarding|concern|child protection|cp|reportable|notifiable)\b",
    r"\bchild protection or (?:child in need|early help)\b", r"\bearly help\b",
    r"\b(?:become|becomes|amount to|amounts to) (?:\w+ )?(?:abuse|neglect|safeguarding|a concern|a referral|"
    r"significant harm)\b", r"\b(?:cp|cin) or (?:cp|cin|early help)\b",
    # the record, the form, and who has it
    r"\b(?:forms?|body maps?|records?|notes|files?|cpoms|myconcern|incident (?:log|form|report)|chronology|"
    r"write[- ]?up|writing (?:it |this )?up|write (?:it |this |that )?(?:down|up)|minutes|the original|a copy|"
    r"copies|paperwork|log|(?:care|safety|support|health ?care|risk management|reintegration|return) plans?|risk "
    r"assessments?)\b", r"\blog(?:ged|ging)? (?:it|this|that|them)\b",
    r"\bwhat (?:should|do|does|must|needs to|would) (?:go|be|we put|i put) (?:in|on) (?:the|his|her|their|a|our)\b",
    # where a record is kept: "where should i store the photos?", "do I scan it onto the system?"
    r"\bwhere (?:should|do|can|must|shall) (?:i|we) (?:store|keep|save|file|put|upload) (?:it|them|this|that|the|my|"
    r"her|his|their)\b",
    r"\b(?:scan|store|save|file|upload|attach) (?:it|them|this|that|the \w+)(?: \w+){0,2} (?:on|onto|in|into|to) "
    r"(?:the |our |my )?(?:system|file|record|cpoms|computer|drive|folder|cabinet|server)\b",
    r"\bpaper (?:copy|one|version)\b",
    # who may know: "who else needs to know?", "can I tell colleagues…, or is it need to know only?"
    r"\bwho (?:else )?(?:(?:in|at) (?:\w+ ){1,2})?(?:needs|has|ought|should|must|is allowed|can) (?:to )?know\b",
    r"\bneed to know\b",
    r"\b(?:can|could|should|may|do) (?:i|we) (?:tell|share (?:it |this |that )?with|inform) (?:colleagues|"
    r"(?:the |other )?staff|the (?:class|team|staff|governors)|other (?:parents|pupils|teachers|staff)|"
    r"(?:his|her|their) (?:\w+ )?(?:teachers?|tutor|head of year|key ?worker))\b",
    r"\b(?:do|should|must|what do|what should) (?:i|we) (?:put|write|include|note|list|name|mention|describe|specify|"
    r"detail|record) (?:down |in |on )?(?:the|her|his|their|what|when|it|this|that|a|which|where|who|how|exactly)\b",
    # what the record says: "what do we note before the holidays", "what should I write"
    r"\bwhat (?:do|should|must) (?:i|we) (?:put|write|note|record|include|log)\b",
    r"\b(?:email|e-mail|upload|forward|send|share) (?:them|it|this|my|the|her|his|their)\b",
    r"\b(?:put|write|include|say|use|record) (?:\w+ ){0,3}(?:in|on) (?:the|my|her|his|their) (?:\w+ )?(?:notes|record|"
    r"form|report|file|log)\b",
    r"\b(?:go|goes|belong|belongs) (?:in|on|into) (?:it|the (?:\w+ )?(?:log|form|record|notes|file|report|"
    r"chronology|referral))\b",
    r"\bhow much (?:can|should|do|may) (?:i|we) (?:share|tell|say)\b",
    r"\bexact words\b", r"\bhow long (?:do|must|should|can) (?:we|i|you|they) keep\b",
    # the outcome and feedback
    r"\b(?:outcome|outcomes|result|results|feedback|decision|decided|updates?)\b",
    # disagreeing with the outcome: "MASH said NFA, can I challenge that?", "can I ask them to reopen it?"
    r"\b(?:challenge|challenging|escalat\w*|appeal|re-?open|disagree with|reconsider)\b",
    r"\bhear (?:back|anything|the result|what)\b", r"\bfind out (?:if|whether|what|how)\b",
    r"\bwhat happens (?:after|next|to (?:the|my|our) (?:referral|report|form|case))\b",
    r"\b(?:let (?:me|us) know|get told|be told|be informed|be notified|(?:was|were|got|be) charged)\b",
    # another agency's part
    r"\bwho(?:se (?:job|role|responsibility)| is responsible| arranges| chairs| leads| informs| tells| keeps| gets"
    r"| receives| interviews| speaks to| does the| has to be told| needs to be told| (?:should|must) be told)\b",
    r"\bwhich (?:agency|service|team|professional)\b",
    rf"\b{_AGENCY} or {_AGENCY}\b",
    r"\bwhat (?:\w+ ){0,2}(?:tests?|checks?|questions|details|info|information) (?:will|would|do|does) (?:the )?"
    r"(?!i\b|we\b)\w+",
    # timescales and consent
    r"\btimescales?\b", r"\btime ?frames?\b",
    r"\bhow (?:quick(?:ly)?|soon|fast|long) (?:will|would|does|do|should|must|has|have|is|are|till|until|before) "
    r"(?!i\b|we\b|you\b)\w+",
    r"\b(?:consent|permission)\b",
])
# What follows for the people in it and which agency takes it on, asked about someone described by a harm done
# ("what happens to the dad who hit his kid, does he get arrested?", "is the teacher who grabbed a child allowed to
# keep teaching?", "does the LADO deal with a dinner lady who grabbed a pupil"). Read as a procedure question only
# when nobody is reported saying anything: "boy says his stepdad punched him, will the police charge him?" is a
# disclosure, and stays one.
DISCLOSED = re.compile(r"\b(?:says|said|told|tells|telling|saying|disclos\w*|alleg\w*|claims|claimed)\b", re.IGNORECASE)
# …and only of a harm told as done, not as going on: "a teacher who is hitting pupils", "a coach who sends nudes",
# "the baby with the bleeding head", "the stepdad who strangled her mum, he's in the house with the kids".
PRESENT_TENSE = re.compile(r"\b(?:he|she|they|it|i|we)(?:'s|'re|'m| is| are| am)\b|"
                           r"(?<=\w )(?:who|that)(?:'s|'re| is| are)\b|(?<=\w )who (?!was\b|has\b|does\b)\w+s\b|"
                           r"\b(?:bleeding|being)\b", re.IGNORECASE)
AFTERMATH_ASKED = _compile([
    r"\bwhat (?:happens|will happen|would happen) to (?:the|a|an|this|that|his|her|their|my|our)\b",
    r"\b(?:get|gets|getting|be|being|been|go|goes) (?:\w+ )?(?:arrested|charged|prosecuted|sacked|fired|suspended|"
    r"struck off|barred|dismissed|disciplined|cleared|convicted|sentenced|cautioned|investigated|banned|"
    r"interviewed|rehoused|moved)\b",
    r"\bbarred list\b", r"\b(?:sex )?offenders'? register\b", r"\blose (?:his|her|their) (?:job|registration|place)\b",
    r"\ballowed to (?:keep|still|come|collect|pick|see|visit|have contact|work|teach|coach|volunteer|know|read|"
    r"attend|return)\b", r"\b(?:supervised|unsupervised) contact\b",
    r"\b(?:witness|statement|court|counselling|therapy|corporate parent|placement|reference|barring)\b",
    r"\b(?:what|any) support (?:is there|is available|for|does|do|can|should|will)\b",
    r"\bwho (?:decides|pays|funds)\b",
    r"\bfind out who\b", r"\bnotif(?:y|ied|ication)\b", r"\bcopy (?:in|to)\b",
    r"\bban (?:the|a|an|him|her|them)\b",
    r"\b(?:charge|prosecute|arrest|caution|sack|suspend|discipline|bar|sue) (?:him|her|them|the|a|an|his|their)\b",
    r"\b(?:have|has|need|needs) to be (?:reported|referred|notified|logged|recorded) to\b",
    # another agency's part, asked of the agency: "does the LADO deal with…", "do the police need my statement"
    rf"\b{_AGENCY} (?:deal|deals|handle|handles|look into|looks into|investigate|investigates|get involved|"
    r"gets involved|take (?:it|this|that) on|takes (?:it|this|that) on|cover|covers)\b",
    rf"\b(?:a|an) {_AGENCY} (?:matter|issue|thing|case|job)\b",
    # a second agency told besides the first: "social care have it, do I tell the school nurse too?" (not whom to
    # ring: that is how an emergency is asked)
    rf"\b(?:tell|inform|notify|copy in|let) {_AGENCY} (?:know )?(?:too|as well|also)\b",
    rf"\b{_AGENCY} (?:need|needs) (?:telling|to know|to be told) (?:too|as well|also)\b",
])
# The signals a procedure question never settles: someone missing (unless only the record is named: "the missing
# from care form"), a weapon (unless only the incident is: "the knife incident"), suicidal intent, a body that
# will not wake. Self-harm is read with its own marks of the present ("fresh cuts", "still bleeding", "took").
_NEVER_PROCEDURE = {"suicidal intent", "medical emergency", "missing", "weapon"}
_PROCEDURE_WHEN_OVER = {"medical emergency", "weapon"}
# …unless something still goes on: "had a seizure last week and is fitting again", "is drowsy", "keeps".
_STILL_GOING = _compile([r"\b(?:still|again|keeps?|anymore|any more)\b",
                         r"\b(?:is|'s|are|'re|am|isn'?t|aren'?t) (?:still |now |really |very |so )?(?:\w+ing|drowsy|"
                         r"unconscious|unresponsive|floppy|limp|blue|grey|sleepy|confused|missing|gone|out)\b"])
# "New", "open" and "taken" mark the harm only when they are said of it: not "a new social worker", "open to CAMHS",
# "taken into care".
_HARM_PRESENT = _compile([r"\b(?:fresh|new|deep|open|gaping|raw|weeping|infected) (?:\w+ )?(?:cuts?|wounds?|"
                          r"scratch(?:es)?|burns?|marks?|injur(?:y|ies)|gashes|gash|slashes)\b",
                          r"\b(?:bleeding|blood|bled)\b", r"\boverdos(?:ed|ing|es)\b",
                          r"\b(?:done|did|had|has|having|do|does|took|taken|take) (?:an |a )?overdose\b",
                          r"\b(?:took|taken|take|swallow\w*|downed|drank|drunk)\b.{0,40}\b(?:pills|tablets|paracetamol|meds|"
                          r"medication|bleach|batteries|antidepressants|painkillers|sleeping|ibuprofen|insulin|something|"
                          r"stuff|drugs|a load|a lot|loads|handful)\b",
                          r"\b(?:is|'s|are|'re) (?:(?!been\b)\w+ )?(?:cutting|self[- ]?harming|harming|hurting|"
                          r"burning|scratching|slashing)\b"])
# Ongoing or coming, as `IMMEDIATE_WEAK`, without what repeats or has just passed ("keeps", "again", "yesterday").
ONGOING = _compile([
    r"\bthis (?:weekend|week)\b", r"\btomorrow\b", r"\bnext (?:week|month)\b", r"\bis being\b", r"\bare being\b",
    r"(?<!can )(?<!could )(?<!would )(?<!should )(?<!might )(?<!do i )(?<!do we )\bstill\b(?! (?:living|lives|"
    r"safe|with|settled|doing|at|in|report|refer|apply|count|make|go ahead|be (?:prosecuted|charged|reported)|"
    r"have to|need|fill|log|record|do|" + _STILL_NOT_DANGER + r"))",
    r"\bsince\b", r"\ban hour\b", r"\bhours\b", r"\bminutes?\b", r"\bmins\b", _DAY,
    r"\b(?:is|are|'s|'re|am|'m) (?:getting|being|going to be|gonna be) (?:married|engaged|sent|taken|cut|flown)\b",
])
# The practitioner's own step, with its time: "sent the form this morning", "rang MASH today".
_OWN_STEP_TIMED = re.compile(r"\b(?:sent|made|done|did|filled in|completed|submitted|referred|reported|rang|phoned|"
                             r"called|logged|emailed|recorded|wrote)\b[^,.;:?!]{0,50}?\b(?:this morning|this afternoon|"
                             r"today|earlier|on (?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday)\b",
                             re.IGNORECASE)
_ASKS_ABOUT_PROCEDURE = "a question about the procedure (classification, record, outcome, role), nothing present"


def asks_about_procedure(message: str) -> bool:
    """The message ends by asking how the concern is classed, recorded, decided or shared. A report told after
    the question ("what do I put on the form? the men won't let her leave") is what the message is for."""
    parts = [piece for part in clauses(message, asking_tails=True) for piece in _split_asking_head(part)]
    asked = [part for part in parts if is_question(part)]
    if not parts or not is_question(parts[-1]):
        return False
    if any(PROCEDURE_ASKED.search(part) for part in asked):
        return True
    return (not DISCLOSED.search(message) and not PRESENT_TENSE.search(message)
            and any(AFTERMATH_ASKED.search(part) for part in asked))


# A protective order or plan now in place: "is on a protection order now", "now have FGM protection orders in place".
# Its "now" tells how she is kept safe, not that the danger is now.
_PROTECTION = r"(?:(?:protection|cp) (?:plans?|orders?)|(?:fgm ?|fm)pos?)"
_PROTECTED_NOW = re.compile(
    r"\b(?:is|are|'s|'re) (?:now )?(?:on|under|subject to) (?:a |an |the )?(?:\w+ ){0,2}?" + _PROTECTION
    + r"(?: in place)? now\b"
    r"|\bnow (?:has|have|got|on|under) (?:a |an |the )?(?:\w+ ){0,2}?" + _PROTECTION + r"(?: in place)?\b"
    r"|\b(?:has|have|got) (?:a |an |the )?(?:\w+ ){0,2}?" + _PROTECTION + r" in place now\b"
    r"|" + _PROTECTION + r" (?:is |are )?(?:now )?in place(?: now)?\b", re.IGNORECASE)


def _happening_now(message: str) -> bool:
    """A cue, in what is reported, that the danger is now, ongoing or coming; the practitioner's own step
    ("sent the form this morning") and a protective order now in place do not time the danger."""
    message = _PROTECTED_NOW.sub(" ", _INCIDENT_DATED.sub(" ", _OWN_STEP_TIMED.sub(" ", message)))
    if _present_strongly(message):
        return True
    reported = [part for part in clauses(message, asking_tails=True) if not is_question(part)]
    # A message that is all question carries its own time: "does the forced marriage unit deal with a girl whose
    # parents have booked her a ticket for next week?"
    return bool(ONGOING.search(" ".join(reported) if reported else message))


# "…keeps going missing again at night", "still": the pattern goes on as it is told.
_AGAIN_NOW = re.compile(r"\b(?:again|still|at the moment|these days|at night|every night)\b", re.IGNORECASE)
# A fear that it comes back is not a sign that it has: "used to cut herself and he's worried she'll start again".
_RELAPSE_FEARED = re.compile(r"\b(?:worried|worries|worrying|scared|afraid|frightened|anxious|concerned|fears?) "
                             r"(?:that )?(?:she|he|they|it)(?:'ll|'d| will| would| might| may| could)? (?:start|begin|"
                             r"relapse|go back to it|come back)(?: again)?\b", re.IGNORECASE)


def _only_as_a_pattern(message: str, signal: str) -> bool:
    """A question in which every sign of `signal` names a pattern (going missing again and again) or a trait
    (someone who self-harms), with no cue that it is happening now: a report of the same pattern ("she keeps going
    missing again at night") is told because it goes on."""
    pattern = _AS_A_PATTERN.get(signal)
    asks = is_question(message) or is_question(clauses(message, asking_tails=True)[-1])  # "…, does the RA need…"
    if not asks and signal in _TOLD_AS_A_TRAIT:
        pattern = _TOLD_AS_A_TRAIT[signal]
        asks = True
    return (pattern is not None and asks and bool(pattern.search(message))
            and not _present_strongly(message) and not _AGAIN_NOW.search(_RELAPSE_FEARED.sub(" ", message))
            and not SIGNALS[signal].search(pattern.sub(" ", message)))


def procedure_not_danger(message: str, found: list[str]) -> bool:
    """A question about the procedure around a hard topic, with nothing that says the danger is now. A medical
    emergency or a weapon told as over ("had a seizure at school last week… what should be in his care plan?")
    is asked about like any other; suicidal intent and someone missing never are."""
    never = set(found) & _NEVER_PROCEDURE
    over = bool(OVER.search(message) or DONE_TO.search(message)) and not _STILL_GOING.search(message)
    if never and not (never <= _PROCEDURE_WHEN_OVER and over):
        return False
    if not asks_about_procedure(message):
        return False
    if "self-harm" in found and _HARM_PRESENT.search(message) and not over:
        return False
    return not _happening_now(message)


# When a past episode was: the time words of `PAST` and `OVER` that close a clause naming someone by it.
_EPISODE_TIME = (r"(?:last (?:year|month|term|week|summer|spring|autumn|winter|christmas|easter)|(?:\d+|a few|a couple "
                 r"of|two|three|four|five|several|many) (?:years?|months?|weeks?) ago|years ago|in the "
                 r"(?:summer|spring|autumn|winter)(?! holidays)|(?:back )?in (?:january|february|march|april|may|june|"
                 r"july|august|september|october|november|december)|when (?:she|he|they) (?:was|were) (?:little|young|"
                 r"younger|small|a baby|a "
                 r"toddler|\d+))")
# Someone named by a past episode: "the pupil who self-harmed last year", "mum who slapped her son at the gate last
# year", "the boy who used to self-harm". The clause says who is meant, not what goes on now; what the rest of the
# message says is what to weigh ("…is in the toilets now with blood on her sleeves", "…is volunteering at the fair").
_NAMED_BY_A_PAST_EPISODE = re.compile(
    r"\b(?:who|that|whose \w+)\b(?:(?! (?:and|but|is|'s|are|has|have|now|just|says|said)\b)[^,.;:?!]){0,80}?\b"
    + _EPISODE_TIME + r"\b"
    r"|\b(?:who|that) used to (?:self[- ]?harm|cut|burn|hurt|scratch|overdose)\w*(?: (?:him|her|them)sel(?:f|ves))?\b",
    re.IGNORECASE)
_NAMED_BY_A_PAST_EPISODE_VERDICT = "someone named by a past episode, nothing said of now"
# The same without a time word, when what follows is an everyday step the person takes: "dad who was violent to his
# ex wants to join the PTA", "a boy who stabbed someone has been offered a place at our school", "parent who
# neglected her first baby is pregnant again" (urgent_tune14). The harm is in the simple past, so it names who is
# meant; the step (wanting, asking, applying, joining, moving) is what the message is about. The rest is weighed as
# for `_NAMED_BY_A_PAST_EPISODE`: someone within reach, a cue of now or someone telling of it keeps it a report.
_EVERYDAY_STEP = (r"(?:wants? to|would like to|(?:has|have) (?:asked|applied|volunteered|offered|been offered|been "
                  r"given|been accepted|registered|enrolled|signed up|joined)|(?:is|are|'s) (?:asking|applying|"
                  r"joining|moving|starting|pregnant|volunteering|due to start))")
_NAMED_BY_A_PAST_HARM = re.compile(
    r"\b(?:who|that) (?:(?:was|were|had been|got) |(?:\w+ly )?(?:\w+ed|hit|beat|hurt|cut|shook|threw|burnt|fought)\b)"
    r"(?:(?! (?:and|but|is|'s|are|has|have|now|just|still|keeps?|says|said)\b)[^,.;:?!]){0,80}?"
    r"(?= " + _EVERYDAY_STEP + r"\b)", re.IGNORECASE)
# Someone missing told as back: "she's home now", "turned up at her nan's", "was back by 10pm", "returned this
# morning"; with the time of the return, which does not time a danger.
_BACK_FROM_MISSING = re.compile(
    r"(?:(?<!n't )(?<!nt )(?<!not )(?<!never )(?:\b(?:she|he|they|who)(?:'s|'re)|\b(?:is|are|was|were|got|came|come|"
    r"been)) (?:now |safely |safe )?"
    r"(?:home|back)\b(?! alone)(?: (?:home|safe(?:ly)?|by \d+\w*))?"
    r"|(?<!n't )(?<!nt )(?<!not )(?<!never )\breturned\b(?: home| to (?:placement|the home|the unit|school))?"
    r"|\bturned up (?:at|safe|safely|later|the next|on)\b|(?<!n't )(?<!not )\b(?:was|were|been|got) found\b"
    r"|\bfound (?:safe|well|at|in)\b)"
    r"(?: (?:now|this morning|this afternoon|this evening|today|last night|earlier|yesterday|at \d+\w*))*",
    re.IGNORECASE)
_MISSING_WORD = re.compile(r"\bmissing\b|\b(?:ran|run|running) (?:off|away)\b|\babscond\w*", re.IGNORECASE)
# A weapon taken away: "staff took the knife off him at break", "the machete was taken off him by police yesterday",
# "police have it now"; with the time it was taken.
_WEAPONS = r"(?:knife|knives|blade|blades|weapon|weapons|gun|bat|machete|razor|hammer)"
_WEAPON_REMOVED = re.compile(
    r"(?:\b(?:took|taken|confiscated|removed|seized|got) (?:the|a|an|his|her|their|that|this) (?:\w+ )?" + _WEAPONS
    + r" (?:off|from|away from) (?:him|her|them|the \w+(?: \w+){0,3}?|\w+)\b"
    r"|\b" + _WEAPONS + r" (?:was|were|has been|have been|got|'s been) (?:\w+ )?(?:taken|confiscated|removed|seized|"
    r"handed (?:in|over|to)|given to|passed to)\b"
    r"|\bconfiscated (?:the|a|an|his|her|their) (?:\w+ )?" + _WEAPONS + r"\b"
    # "the knife found in his blazer on tuesday has gone to the police": the weapon itself sent on
    r"|\b" + _WEAPONS + r" (?:(?!and\b|but\b)[\w']+ ){0,8}?(?:has|have) (?:gone|been sent|been passed|been given|"
    r"been handed) (?:over )?to (?:the )?police\b"
    r"|\b(?:police|security|staff|we|i|the school)(?: have| has|'ve|'s)(?: got)? (?:it|them|the " + _WEAPONS + r")\b)"
    r"(?: (?:at|in|on|outside|by) (?:the |his |her |their )?\w+)?"  # "…off him at the gate this morning"
    r"(?: (?:now|this morning|this afternoon|today|last night|earlier|yesterday|at (?:break|lunch|\d+\w*)))*",
    re.IGNORECASE)
_ANOTHER_ONE = re.compile(r"\b(?:another|a second|second one|one more|a spare|more of them)\b", re.IGNORECASE)
_RESOLVED_VERDICT = "someone missing back, or a weapon taken away, nothing going on"
_KIT_VERDICT = "a tool or kit in its everyday use, turned on no one"
_PASSPORT_VERDICT = "a passport in the paperwork of a trip, taken by no one"
_DOSE_VERDICT = "an ordinary dose for an ordinary pain"


def _resolved(message: str, found: list[str]) -> bool:
    """The one danger named is told as over: someone missing is back ("missing episode last night, found at his
    mate's, do I do a notification?"), a weapon was taken away ("police took the machete off him yesterday, who tells
    the YOT?"); nothing goes on or is now once that and its time are set aside ("…is still not back", "…came back
    but has run off again tonight", "…but he's just pulled out another")."""
    kinds = set(found)
    # A blade is a word of self-harm too: taken away, it is a weapon no longer at hand.
    marker = (_BACK_FROM_MISSING if kinds == {"missing"} else _WEAPON_REMOVED if kinds <= {"weapon", "self-harm"}
              else None)
    if marker is None or not marker.search(message):
        return False
    rest = marker.sub(" ", message)
    if marker is _WEAPON_REMOVED and set(signals_in(rest)) & kinds:  # another weapon, or harm besides
        return False
    # …or another one, not named again: "…has gone to the police but he's pulled another one out in the corridor".
    if marker is _WEAPON_REMOVED and _ANOTHER_ONE.search(rest):
        return False
    # "Still" counts in what is told, not in what is asked: "…is home safe now, does school still need to log it?"
    reported = " ".join(part for part in clauses(rest, asking_tails=True) if not is_question(part))
    # What someone is told saying beside it is a report to weigh, not a record: "…is home now but says he'll come
    # for her" (not "who tells the YOT?").
    if DISCLOSED.search(reported):
        return False
    return not _present_strongly(rest) and not _STILL_GOING.search(reported or rest)


# A tool or a piece of kit used for its everyday purpose (urgent_tune16, urgent_tune17): the DT hammers, a rounders
# bat, food-tech and craft knives. The setting alone never settles it: "she's in the art room with a craft knife
# pressed to her wrist" and "at scout camp a lad pulled a knife on a younger boy" are emergencies (de96d74, reverted).
# What does is a sign that the thing is being used, kept or asked about as kit: its count or whereabouts
# (`_KIT_WHEREABOUTS`: "one short", "turned up in the dishwasher", "was left on the field"), a question about the
# rules for it (`_KIT_RULES`: a risk assessment, supervision, who may use it), or a task whose object is a material,
# a ball or an ingredient, or a purpose named (`_KIT_TASK`: "dicing onions with the chef's knives", "hit the ball
# with the bat", "a bat for rounders"). And nothing may turn it on anyone (`_KIT_TURNED`): a body part, a person it
# is aimed at, a blow, a threat, an injury, fear, anger, someone holding or hiding it; nor any cue of a weapon at hand
# (`_AT_HAND`), nor any danger besides.
_KIT_NOUN = re.compile(r"^(?:(?:baseball |cricket |rounders |softball )?bats?|(?:pen ?|pocket ?)?kni(?:fe|ves)|"
                       r"hammer)$", re.IGNORECASE)
_KIT_WORD = r"(?:knife|knives|penknives|penknife|hammers?|bats?)"
_KIT_PURPOSE = (r"for (?:rounders|cricket|baseball|softball|pe|games|practice|training|the match|a match|sports day|"
                r"(?:the |their |his |her )?(?:lessons?|food tech|cookery|art|dt|woodwork)|whittling|cooking|"
                r"(?:the |a )?first time)\b")
_KIT_WHEREABOUTS = re.compile(
    r"\b(?:count(?:ed|ing|s)?|one short|\w+ short after|sign(?:ed|ing)?[- ]?(?:out|in|back)|handed (?:in|to|back)|"
    r"put (?:it |them )?back|(?:wasn'?t|weren'?t|not) (?:returned|put back)|turned up|"
    r"(?:was|were|been|got|is|are|'s|it|them|" + _KIT_WORD + r") left (?:on|in|at|behind|out)|"
    r"left (?:his|her|their|the|a|an|my|our) (?:[\w']+ ){0,2}?" + _KIT_WORD + r"|"
    r"found (?:it |them )?(?:in|on|at) (?:the|a|an)(?: (?:[\w']+ ){0,2}?(?:cupboard|drawer|sink|dishwasher|rack|"
    r"store|tray|"
    r"bowl|box|office|reception|room|field|bench|workbench|tent|hall|kitchen))?|"
    r"(?:went|gone|go|goes) missing|missing (?:from|after|at the end)|"
    r"packed away|borrowed|writ(?:e|ing|ten) (?:it |them )?off|new handles|splitting)\b", re.IGNORECASE)
_KIT_RULES = re.compile(
    r"\b(?:risk assess\w*|supervis\w*|ratios?|template|sign[- ]?out|consent forms?|permission slips?|health and "
    r"safety|ppe|goggles|cutting mats?|audit|insurance|allowed to (?:use|carry|bring|have)|safe to use|what age|"
    r"age limit|(?:policy|rules?|guidance) (?:on|about|for)|storage|stored|kept in|locked|unlocked|no lock|"
    r"(?:knife|tool) safety|induction|bin them|order(?:ing)? (?:new|more)|replac\w+|can (?:[\w']+ ){1,12}?use)\b",
    re.IGNORECASE)
_KIT_TASK = re.compile(
    r"\b(?:cut|cutting|cuts|dice|dicing|chop|chopping|slice|slicing|peel|peeling|scor(?:e|ing)|trim|trimming|"
    r"whittl\w*|hammer(?:ing|s|ed)?|hit|hitting|hits|strik(?:e|ing)|knock(?:ing)?|tap(?:ping)?|spread(?:ing)?|"
    r"open(?:ing)?|practis\w*|practic\w*|carv(?:e|ing))"
    r" (?:the |some |their |his |her |a |an )?(?:[\w']+ ){0,2}?(?:balls?|nails?|onions?|vegetables?|veg|carrots?|"
    r"potatoes?|bread|fruit|meat|chicken|cheese|dough|pastry|card|cardboard|board|paper|fabric|foam|lino|wood|"
    r"timber|dowel|clay|plastic|acrylic|sticks?|rope|string|tape|boxes|parcels?|packaging|apples?|herbs|tomatoes?|"
    r"pizza|cake|butter|bird ?boxes|shots?|strokes?)\b(?: (?:[\w']+ ){0,3}?with (?:the |a |an |their |his |her )?"
    r"(?:[\w']+ ){0,2}?" + _KIT_WORD + r"\b)?"
    r"|\b" + _KIT_WORD + r" " + _KIT_PURPOSE +
    r"|\b(?:learning|learn|taught|teach\w*) (?:to|how to)\b(?= (?:use|dice|chop|slice|cut|whittle|hammer|bat|hold)\b)"
    r"|\busing (?:the |their |his |her )?(?:[\w']+ ){0,2}?" + _KIT_WORD + r" " + _KIT_PURPOSE,
    re.IGNORECASE)
_KIT_STORED = re.compile(r"\b(?:kept|stored|keeps?|stores?) in (?:a|an|the)\b|\b" + _KIT_WORD
                         + r"\b(?: [\w']+){0,5}? (?:is|are|was|were|'s|has been|have been) missing\b"
                         r"|\bcutting (?:mats?|boards?)\b", re.IGNORECASE)
# Any part of the body, a hand included: kit near a hand is kit in someone's grip, not only a blow (`_BODY` above
# names where a blow or a point is aimed).
_KIT_BODY = (r"(?:arms?|wrists?|legs?|thighs?|throat|neck|face|head|hands?|chest|stomach|belly|skin|body|back|"
             r"eyes?|fingers?|ribs|skull)")
_KIT_TURNED = re.compile(
    r"\b(?:his|her|their|my|your|our|someone'?s|somebody'?s|(?:an|the|a) ?other \w+'?s|\w+'s) (?:own )?" + _KIT_BODY
    + r"\b"
    r"|\b(?:pull\w*|point\w*|held|hold\w*|wav\w*|swing\w*|swung|rais\w*|brandish\w*|wield\w*|threat\w*|attack\w*|"
    r"chas\w*|lung\w*|went for|going (?:for|after)|went after|came at|coming at|hit|hits|hitting|smash\w*|beat\w*|"
    r"batter\w*|bash\w*|hurt\w*|injur\w*|bleed\w*|blood\w*|kill\w*|die|dying|dead|stab\w*|fight\w*|scream\w*|"
    r"shout\w*|crying|cried|scared|afraid|terrified|frightened|angry|furious|rag(?:e|ing)|kick(?:ing|ed) off|"
    r"lost it|drunk|high|hid|hide|hidden|hiding|pockets?|bags?|blazer|coat|locker|sock|waistband|revenge|grass\w*|"
    r"bull(?:y|ied|ies|ying)|gangs?|waiting|pressed|pressing|gone|went out|won'?t (?:put|give|hand|drop|let)|"
    r"do (?:him|her|them|you|me) in|sort (?:him|her|them) out|get back at|get (?:him|her|them)|on (?:him|her|them)|"
    r"at (?:him|her|them|me|us|you|another|someone|somebody|the other|each other|his|her|their)|"
    r"(?:to|against|over|near|towards?) (?:him|her|them|me|us|another|someone|somebody|the other|each other)|"
    r"use (?:it|them|that|this|the \w+) (?:on|against)|took (?:it|them|one) home|from home|to school|into school|"
    r"with (?:it|them|one)|sleeves?|red|jab\w*|pok(?:e|es|ed|ing)|slash\w*|at (?:the )?others?|"
    # someone doing something with it as it is told: "a lad is now jabbing it at the others"
    r"(?:is|are|'s|'re) (?:now |still )?\w+ing (?:it|them)\b)\b"
    r"|\b(?:has|had|'s got|has got|have got|got|holding|carrying|grabbed|took|taken|brought|bought|picked up|with) "
    r"(?:a|an|the|his|her|their|one of the|my|our) (?:[\w']+ ){0,2}?" + _KIT_WORD + r"\b",
    re.IGNORECASE)


def kit_in_everyday_use(message: str, found: list[str]) -> bool:
    """Every danger word is a tool or kit (a knife, a hammer, a bat) and the message uses, keeps or asks about it as
    such, with nothing that turns it on anyone (see `_KIT_TURNED`)."""
    if "weapon" not in found:
        return False
    if not all(_KIT_NOUN.match(m.group(0)) for m in SIGNALS["weapon"].finditer(message)):
        return False
    if not (_KIT_TASK.search(message) or _KIT_WHEREABOUTS.search(message)
            or (is_question(message) and _KIT_RULES.search(message))):
        return False
    # Words of another danger that only say what happens to the kit ("went missing from DT", "cutting mount board",
    # "kept in a drawer", "hit the ball") do not count; any other does ("…and she's been missing since lunch").
    kept = _KIT_STORED.sub(" ", _KIT_WHEREABOUTS.sub(" ", _KIT_TASK.sub(" ", message)))
    if set(signals_in(kept)) - {"weapon"}:
        return False
    # The task ("hit the ball with the bat", "a bat for rounders") is the everyday use, not a blow: read the rest.
    rest = _KIT_TASK.sub(" ", message)
    return not _KIT_TURNED.search(rest) and not _AT_HAND.search(rest)


# A passport in the paperwork of a school trip (urgent_tune16, urgent_tune17): lost on the residential, handed in
# late, expired. Read so only with a trip or its paperwork named, nothing of the passport taken, kept or hidden by
# someone, no travel, marriage or fear, and no danger word once the passport and its loss are set aside: "…their
# passports are missing from the drawer" beside "dad never brought the twins back" stays urgent.
_PASSPORT_WORDS = re.compile(
    r"\blost (?:a|an|the|her|his|their|one|our|my) (?:[\w']+ ){0,2}?passports?\b|\bpassports?\b(?: [\w']+){0,5}? "
    r"missing\b|\bmissing (?:[\w']+ ){0,2}?passports?\b|\bpassports?\b", re.IGNORECASE)
_TRIP_PAPERWORK = re.compile(
    r"\b(?:trip|exchange|residential|ski|hostel|hotel|tour|expedition|school journey|expired|expir\w+|renew\w*|"
    r"cop(?:y|ies)|deadline|handed (?:it |them |their \w+ )?in|hand (?:it |them |their \w+ )?in)\b", re.IGNORECASE)
_PASSPORT_TAKEN = re.compile(
    r"\b(?:tak(?:e|es|en|ing)|took|hid|hidden|hiding|kept|keeps|keeping|holds|held|confiscat\w*|has (?:her|his|their|"
    r"my)|have (?:her|his|their|my)|got (?:her|his|their|my)|won'?t (?:give|let|hand)|airport|flights?|fly\w*|flown|"
    r"ferry|border|married|marry|marrying|wedding|cousin|scared|terrified|frightened|crying|boss|employer|sent|"
    r"send\w*|forced|made to|against (?:her|his|their) will|abroad|overseas|back home|never|not coming back|"
    # someone taken with it: "…missing from the trip folder and the boy's dad, who isn't allowed contact, picked him
    # up from the hostel"
    r"picked (?:him|her|them) up|collect\w* (?:him|her|them)|contact|court|custody|allowed|without (?:permission|"
    r"consent|telling)|collect\w*|driv\w*)\b",
    re.IGNORECASE)


def passport_for_a_trip(message: str, found: list[str]) -> bool:
    """The only danger words are a passport (and its loss), in the paperwork of a trip, with nothing of it taken."""
    if not _PASSPORT_WORDS.search(message) or not _TRIP_PAPERWORK.search(message):
        return False
    if _PASSPORT_TAKEN.search(message) or _present_strongly(message):
        return False
    return not signals_in(_PASSPORT_WORDS.sub(" ", message))


# An ordinary dose for an ordinary pain (urgent_tune16, urgent_tune17): "took two paracetamol for period pain, office
# has logged it". Only a small number or none, a pain or a fever named as what it was for, nothing of a larger amount,
# of more afterwards, of intent or of a body reacting, and no danger word besides the taking.
_ORDINARY_DOSE = re.compile(
    r"\b(?:took|taken|take|takes|had|has|given|gave)(?: (?!and )[\w']+){0,2}?(?: and)?(?: (?:her|his|their|a|an|"
    r"one|two|2|1|some|the usual|her usual|"
    r"his usual|a dose of|a couple of))? (?:paracetamols?|ibuprofen|calpol|painkillers?|tablets?|pills?)\b"
    r"(?: (?:[\w']+ ){0,3}?for (?:a |an |her |his |their |the )?(?:bad |sore |mild )?(?:headache|migraine|period "
    r"(?:pain|cramps)|cramps|toothache|temperature|fever|cold|sore throat|hay ?fever|earache|back ache|backache|"
    r"pain)\b)",
    re.IGNORECASE)
_MORE_THAN_A_DOSE = re.compile(
    r"\b(?:all|whole|packets?|box(?:es)?|handful|lots|loads|too many|rest|more|extra|another|again|then|bottle|vodka|"
    r"alcohol|drink|overdos\w*|dozen|"
    r"(?:[3-9]|\d{2,}|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty) (?:[\w']+ ){0,2}?"
    r"(?:paracetamols?|ibuprofen|calpol|painkillers?|tablets?|pills?|doses?)|"
    r"purpose|deliberately|die|dying|dead|kill\w*|end it|sick|vomit\w*|drowsy|sleepy|won'?t wake|grey|gray|pale|"
    r"unconscious|collapsed|floppy|respond\w*|slurring|crying|upset|hospital|ambulance|saved|stockpil\w*|secret\w*|"
    r"hid|hidden|hiding)\b", re.IGNORECASE)


def ordinary_dose(message: str, found: list[str]) -> bool:
    """The only danger word is taking a painkiller, in a small dose, for a pain named, with nothing more."""
    if found != ["self-harm"] or not _ORDINARY_DOSE.search(message) or _MORE_THAN_A_DOSE.search(message):
        return False
    return not signals_in(_ORDINARY_DOSE.sub(" ", message)) and not _AT_HAND.search(message)


# A session named only as where and when something happened: "during the knife crime assembly a boy stood up and
# pulled a knife on a year 11", "in the middle of the first aid course a student collapsed and isn't breathing"
# (urgent_tune17). The session's topic is not what the message is about when no other word of a topic is left and
# the rest tells of someone, with a strong danger or one that is present or going on.
_SESSION_PLACE = re.compile(
    r"\b(?:during|in the middle of|halfway through|part ?way through|at the (?:start|end) of) (?:(?:the|a|an|our|my|"
    r"this|today'?s) )?(?:[\w']+ ){0,3}?(?:assembly|course|training|lesson|session|workshop|talk|presentation|class|"
    r"inset|"
    r"meeting|briefing)\b"
    # or as a heading: "the whittling session at camp: a boy's used his knife to slash another scout's arm"
    r"|^(?:the |a |our |at the |in the |on the )?(?:[\w']+ ){0,3}?(?:assembly|course|training|lesson|session|"
    r"workshop|talk|presentation|class)(?: (?:at|in|on) (?:the |a )?[\w']+)?\s*[:,-]", re.IGNORECASE)


# Something going on as it is told: "…her partner has locked her kids in the flat and is threatening to burn it".
_GOING_ON = re.compile(r"\b(?:is|are|'s|'re) (?:still |now )?\w+ing\b", re.IGNORECASE)


def _in_a_session(message: str, signal: str) -> bool:
    if not _SESSION_PLACE.search(message):
        return False
    rest = _SESSION_PLACE.sub(" ", message)
    going_on = _present(rest) or bool(_GOING_ON.search(rest))
    return (not ABOUT_THE_TOPIC.search(rest) and not is_question(rest) and (bool(SITUATION.search(rest)) or going_on)
            and (signal in _STRONG or going_on))

# Help someone has now, after an episode: "is getting support from CAMHS now", "is seeing a counsellor now".
_SUPPORTED_NOW = re.compile(
    r"(\b(?:getting|gets|receiving|has|have|having|had|with|seeing|sees|under|engaging with|open to|known to|working "
    r"with) (?:\w+ ){0,2}?(?:support|help|counselling|therapy|treatment|counsellor|therapist|camhs|key ?worker|support "
    r"worker|mentor)\b(?: (?:from|with|at|by) (?:the )?(?:\w+ ){0,2}?\w+)?) now\b", re.IGNORECASE)
# How long a past episode lasted, not when: "was missing for 2 hours", "lost a child for 10 minutes".
_PAST_DURATION = re.compile(
    r"\b(?:(?:was|were|'d been|had been) (?:\w+ )?(?:missing|gone|lost|out|away)|lost (?:a|an|the|our|my|one) (?:\w+ )?"
    r"(?:child|pupil|kid|boy|girl|resident|student|young person)s?) for (?:\d+|a few|ten|fifteen|twenty|thirty|"
    r"forty|an?|half an) (?:minutes?|mins?|hours?|hrs?)\b", re.IGNORECASE)


def _message_verdict(message: str, *, named_read: bool = False) -> RuleVerdict:
    if not message:
        return RuleVerdict(False, "empty")
    found = signals_in(message)
    found = [name for name in found if not _only_as_a_pattern(message, name)]
    # Only a clause that names a harm ("who died last year" names none: "disclosed abuse by her grandad who died
    # last year" keeps its past).
    named = next((pattern for pattern in (_NAMED_BY_A_PAST_EPISODE, _NAMED_BY_A_PAST_HARM)
                  if any(signals_in(m.group(0)) for m in pattern.finditer(message))), None) if found else None
    if named is not None and not named_read:
        rest = " ".join(named.sub(lambda m: " " if signals_in(m.group(0)) else m.group(0), message).split())
        if signals_in(rest):
            return _message_verdict(rest, named_read=True)
        # Nothing in the rest is danger, strongly now or back within reach: the harm words only say who is meant
        # ("grandma who grabbed him back in october is doing the school run again").
        # Someone told saying something in the rest is weighed as the whole message is ("…told me he messaged her").
        told = " ".join(part for part in clauses(rest, asking_tails=True) if not is_question(part))
        if (not _present_strongly(_state_now_removed(rest)) and not _BACK_IN_REACH.search(rest)
                and not DISCLOSED.search(told)):
            return RuleVerdict(False, _NAMED_BY_A_PAST_EPISODE_VERDICT, found[0], vetoed=True)
    if not found:
        # Words of a past, settled event still count against the meaning detector's reading of the topic.
        back = bool(_MISSING_WORD.search(message) and _BACK_FROM_MISSING.search(message))
        present = _present(_BACK_FROM_MISSING.sub(" ", message) if back else message)
        past = not present and bool(PAST.search(message) or back)
        # No danger word, only a weak cue of the present ("this week", "keeps", "yesterday"), and it asks how
        # to pass a concern on: "Poppy has been late every day this week and looks tired, do I log it?" is a
        # question about someone, read at that threshold, not at the one for reports of danger.
        concern = (present and not _present_strongly(message) and is_question(message)
                   and asks_how_to_handle(message))
        asks = (not present and not past and is_question(message)) or concern
        situated = concern or (asks and bool(SITUATION.search(message) or REPORTED.search(message))
                               and not OWN_CHOICE.search(message) and not IN_PROCESS.search(message))
        reason = "no danger signal" + (", past wording" if past else ", a question about someone" if situated
                                       else ", a question" if asks else "")
        return RuleVerdict(False, reason, vetoed=past, procedure_question=asks, situated=situated)
    signal = next((name for name in found if name in _STRONG), found[0])
    if set(found) <= _ALONE_SIGNALS and OWN_CHOICE.search(message):
        return RuleVerdict(False, "an adult's own choice to be alone", signal, vetoed=True)
    if set(found) <= _MARRIAGE_SIGNALS and WANTS_TO_MARRY.search(message):
        return RuleVerdict(False, "a wish to marry, not a marriage forced", signal, vetoed=True)
    immediate = _present(message)
    reported = bool(REPORTED.search(_TOPIC_SAID.sub(" ", _CONDITIONAL_REPORT.sub(" ", message))))
    question = is_question(message)
    # A day named does not hold back "found safe on sunday"; telling it now does not make the event now, nor does a
    # "now" that tells how things stand since ("the uncle is in prison now").
    # Never for suicidal intent, self-harm, a medical emergency, a weapon or someone missing: "she tried to kill
    # herself last year and says she feels the same way now" keeps its "now".
    told_now = _JUST_RETURNED.sub(" ", _TELLING_NOW.sub(" ", message))
    # Nor does the "now" of help that follows ("self-harmed in the spring but is getting support from CAMHS now"), nor
    # how long a past episode lasted ("we lost a pupil for 15 minutes on the museum trip in may").
    told_now = _PAST_DURATION.sub(" ", _SUPPORTED_NOW.sub(r"\1", told_now))
    if not set(found) & _PRESENT_BY_NATURE:
        told_now = _state_now_removed(told_now)
    # An episode told as over ("before half term") with help now is past, and its own time words are no cue of now.
    helped_since = bool(OVER.search(message) and _SUPPORTED_NOW.search(message))
    if helped_since:
        told_now = OVER.sub(" ", told_now)
    told_past = bool(PAST.search(message)) or helped_since
    if told_past and not _present(told_now):
        return RuleVerdict(False, "danger signal in the past, nothing present", signal, vetoed=True)
    if _resolved(message, found):
        return RuleVerdict(False, _RESOLVED_VERDICT, signal, vetoed=True)
    if kit_in_everyday_use(message, found):
        return RuleVerdict(False, _KIT_VERDICT, signal, vetoed=True)
    if passport_for_a_trip(message, found):
        return RuleVerdict(False, _PASSPORT_VERDICT, signal, vetoed=True)
    if ordinary_dose(message, found):
        return RuleVerdict(False, _DOSE_VERDICT, signal, vetoed=True)
    situation = bool(SITUATION.search(message))
    # A made-up case is general even when someone in it "says" something; a real one tonight is not.
    if SCENARIO.search(message) and not TIME_NOW.search(message):
        return RuleVerdict(False, _SCENARIO_VERDICT, signal, vetoed=True)
    if procedure_not_danger(message, found):
        return RuleVerdict(False, _ASKS_ABOUT_PROCEDURE, signal, vetoed=True)
    if (not reported and not IMMEDIATE_STRONG.search(_TOPIC_TIMED.sub(" ", message))
            and ABOUT_THE_TOPIC.search(ACTIVITY.sub(" ", message)) and not _in_a_session(message, signal)):
        return RuleVerdict(False, _ABOUT_THE_TOPIC_VERDICT, signal, vetoed=True)
    if (question and not reported and not TIME_NOW.search(message) and HYPOTHETICAL.search(message)
            and not (WHEN_TOLD.search(message) and _present(message)) and not WHEN_SOMEONE_IS_DOING.search(message)):
        return RuleVerdict(False, _GENERAL_QUESTION, signal, vetoed=True)
    if (signal not in _STRONG and ORDINARY_CAUSE.search(message) and not DELIBERATE.search(message)
            and not DONE_TO_SOMEONE_NOW.search(message)):
        return RuleVerdict(False, "an ordinary, explained cause (an accident, sport)", signal, vetoed=True)
    if signal in _STRONG and (situation or immediate or not question):
        return RuleVerdict(True, f"{signal} now", signal)
    if (question and not immediate and not set(found) & _PRESENT_BY_NATURE and asks_how_to_handle(message)
            and (OVER.search(message) or NO_HARM.search(message))):
        return RuleVerdict(False, _CONCERN_TO_PASS_ON, signal, procedure_question=True, situated=True)
    if situation or immediate:
        return RuleVerdict(True, f"{signal} in a present situation", signal)
    if not question:
        return RuleVerdict(True, f"{signal} reported about someone", signal)
    return RuleVerdict(False, _QUESTION_WITHOUT_SITUATION, signal)


# How a message is framed, apart from its topic, for the meaning detector: a sentence embedding
# reads mostly *what* a message is about (suicide, a missing child), much less whether it asks
# about procedure, reports a person in danger now, or tells of the past. Each feature is one of
# the rule families above, so what the detector weighs stays explainable.
FRAMING = ("question", "asks what to do", "in general", "about the topic", "past", "reported",
           "a particular person", "time now", "immediate", "danger signal", "strong danger signal",
           "a report beside the question", "asks how to pass a concern on")


def framing(text: str) -> list[float]:
    """1.0 or 0.0 for each of `FRAMING`, in that order."""
    message = unquoted(normalise(text))
    found = signals_in(message)
    present = bool(IMMEDIATE.search(message))
    return [float(flag) for flag in (
        is_question(message),
        bool(_ASKS.search(message)),
        bool(HYPOTHETICAL.search(message)),
        bool(ABOUT_THE_TOPIC.search(message)),
        bool(PAST.search(message)) and not bool(IMMEDIATE.search(_TELLING_NOW.sub(" ", message))),
        bool(REPORTED.search(message)),
        bool(SITUATION.search(message)),
        bool(TIME_NOW.search(message)),
        present,
        bool(found),
        any(name in _STRONG for name in found),
        _report_beside_question(message),
        is_question(message) and asks_how_to_handle(message),
    )]


def _report_beside_question(message: str) -> bool:
    """"who do i ring? the little boy next door is standing on the windowsill": a question, and beside it a part
    that tells of a particular person rather than asks. A question that only mentions someone ("should I promise
    the kid I won't tell?") has no such part."""
    if not is_question(message):
        return False
    parts = clauses(message, asking_tails=True)
    return len(parts) > 1 and any(not is_question(part) and SITUATION.search(part) for part in parts)
