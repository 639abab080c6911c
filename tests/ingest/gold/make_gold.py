"""Write the gold files of the SYNTHETIC test articles (tests/ingest/articles) in the seed gold format.

Each row's char_start is found by searching the article for the quoted text (the n-th row with the
same text takes the n-th occurrence), so the offsets are exact by construction. The speakers and
kinds are our own annotation of our own synthetic texts. Run: python tests/ingest/gold/make_gold.py
"""

import csv
from pathlib import Path

ART = Path(__file__).resolve().parent.parent / "articles"
OUT = Path(__file__).resolve().parent
specs = {
 'wire_geneva': [
  # headline ('no room'): proposed only with --headlines, so not in the gold
  ("Moscow would reject any plan to station European troops in Ukraine","reported","Sergei Lavrov",""),
  ("a provocation we will not tolerate.","direct","Sergei Lavrov",""),
  ("We have been very clear about this,","direct","Sergei Lavrov",""),
  ("There will be no foreign contingents on Ukrainian soil, under any flag.","direct","Sergei Lavrov",""),
  ("We are listening to all sides,","direct","Marco Rubio",""),
  ("and nothing has been agreed until everything is agreed.","direct","Marco Rubio",""),
  ("going nowhere fast.","direct","senior European diplomat","anonymous"),
  ("Kyiv has not been invited to the next round","reported","Ukrainian officials",""),
  ("unacceptable.","direct","Hanna Kovalenko",""),
  ("Ukraine will not accept decisions about Ukraine taken without Ukraine,","direct","Hanna Kovalenko",""),
  ('We ask our partners to remember what happened in 2014.\n"Every ceasefire since then has been broken within weeks,',"direct","Hanna Kovalenko","a two-paragraph quote: one span, the break kept"),
  ("could happen soon","direct","Dmitry Peskov",""),
  ("the atmosphere as businesslike","reported","Dmitry Peskov",""),
 ],
 'curly_brussels': [
  # headline scare quote ('reassurance force'): proposed only with --headlines
  ("the plan was premature","reported","several capitals",""),
  ("Europe cannot outsource its own security,","direct","Kaja Lindholm",""),
  ("If we are not at the table, we will be on the menu.","direct","Kaja Lindholm",""),
  ("must follow a ceasefire, not precede it","direct","Pieter de Vries",""),
  ("not send a single soldier without American backing","direct","Radek Nowicki",""),
  ("ready to lead","direct","French presidency",""),
  ("a dangerous fantasy","direct","Officials in Budapest",""),
  ("We have heard this before,","direct","government spokesman",""),
  ("Nothing will come of it.","direct","government spokesman",""),
  ("Every day.","direct","Kaja Lindholm",""),
 ],
 'british_single': [
  # headline ('We will not trade land for peace'): proposed only with --headlines
  ("never","direct","Volodymyr Zelensky",""),
  ("We will not trade land for peace,","direct","Volodymyr Zelensky",""),
  ("Our people's memory is long.","direct","Volodymyr Zelensky",""),
  ("That document is dead, and everyone knows it.","direct","Volodymyr Zelensky",""),
  ("well known","direct","Kremlin spokesman",""),
  ("not changed","direct","Kremlin spokesman",""),
  ("wishful thinking","direct","Critics in Kyiv's parliament",""),
  ("he supported the president's line","reported","Oleh Marchuk",""),
  ("It's the only line we have,","direct","Oleh Marchuk",""),
  ("Nobody in this building disagrees with it.","direct","Oleh Marchuk",""),
 ],
 'moscow_multipara': [
  ("Our position has not changed since 2021,","direct","Sergei Lavrov",""),
  ('NATO must return to its 1997 borders. Ukraine must be neutral.\n"Anything else is a conversation about a conversation.',"direct","Sergei Lavrov","a two-paragraph quote: one span, the break kept"),
  ("a non-starter.","direct","Western diplomats",""),
  ("He is talking to Washington, not to us.","direct","one of the Western diplomats","anonymous"),
  ("playing with fire","direct","Alexander Grushko",""),
  ("sabotaging","direct","Alexander Grushko",""),
 ],
 'ap_statements': [
  ("The presence of troops from NATO countries, under any flag, is unacceptable to us,","direct","Dmitry Peskov",""),
  ("This position is well known.","direct","Dmitry Peskov",""),
  ("Why would we rush?","direct","Dmitry Peskov",""),
  ("real guarantees, not promises.","direct","Volodymyr Zelensky",""),
  ("more than generous.","direct","Volodymyr Zelensky",""),
  ("There will be no agreement about Ukraine without Ukraine. Full stop.","direct","Andriy Yermak","introduced by a colon paragraph"),
  ("play its part","direct","John Healey",""),
  ("We are not talking about fighting Russia,","direct","John Healey",""),
  ("We are talking about deterring the next invasion.","direct","John Healey",""),
  ("Everybody wants a seat at the table, but nobody has a plan,","direct","Maria Lindqvist",""),
  ("any deployment of European peacekeepers in Ukraine","reported","Kremlin","rejected"),
  ("the bloc would hold an emergency meeting on Thursday","reported","European Union's foreign policy chief",""),
 ],
 'europe_paris': [
  # standfirst without a full stop, read as a headline ('fait accompli'): proposed only with --headlines
  ("must take its share","direct","Macron",""),
  ("Any quick fix is a dirty deal,","direct","Kallas",""),
  ("Appeasement has always failed.","direct","Kallas",""),
  ("I'm ready and willing to consider it.","direct","Keir Starmer",""),
  ("frustrated, pro-war and anti-Trump.","direct","Hungary's foreign minister",""),
  ("Ukraine must be part of any negotiation.","direct","UNATTRIBUTED","a statement, no speaker named"),
  ("highly inappropriate","direct","Olaf Scholz",""),
  ("a dictated peace.","direct","Olaf Scholz",""),
  ("he would not send troops","reported","Donald Tusk",""),
 ],
 'washington_summit': [
  # headline ('Not yet,'): proposed only with --headlines
  ("very soon,","direct","Donald Trump",""),
  ("get it done.","direct","Donald Trump",""),
  ("optimistic.","direct","Karoline Leavitt",""),
  ("The president believes both sides want peace.","direct","Karoline Leavitt",""),
  ("never","direct","Zelensky",""),
  ("We are not going to sign something we did not negotiate,","direct","Zelensky",""),
  ("Nobody would.","direct","Zelensky",""),
  ("constructively","direct","Kremlin",""),
  ("It's a beginning,","direct","Yuri Ushakov",""),
  ("Only a beginning,","direct","Peskov",""),
  ("stand with Ukraine for as long as it takes.","direct","Mark Rutte",""),
  ("a meeting with Vladimir Putin would happen","reported","Donald Trump",""),
  ("Ukraine would 'never' accept a deal made behind its back","reported","Zelensky",""),
  ("Moscow was ready to work","reported","Kremlin",""),
 ],
 'wire_blank_lines': [
  # headline ('ready to meet', 'at any price'): proposed only with --headlines
  ("ready to meet","direct","Vladimir Putin","the body's, after the headline's"),
  ("unilateral concessions","direct","Vladimir Putin",""),
  ("We are not against a meeting. We are for a meeting that produces results,","direct","Vladimir Putin",""),
  ("theatre for a\r\nforeign audience","direct","Andriy Sybiha","hard-wrapped"),
  ("Kyiv would not accept any deal negotiated behind its back","reported","Andriy Sybiha",""),
  ("all options remain on the table.","direct","National Security Council spokesperson",""),
 ],
 'wire_multipara_truncated': [
  ("Kyiv would not accept a settlement negotiated over its head","reported","Hanna Kovalenko",""),
  ('We have said it before and we will say it again: nothing about Ukraine can be decided without Ukraine. We are not a bargaining chip.\n"Our partners know this, and they have told us that they agree,',"direct","Hanna Kovalenko","two paragraphs; the attribution follows the second"),
  ("businesslike","direct","one participant","scare quote inside a reported clause"),
  ("technical contacts","direct","Boris Halvorsen","scare quote inside a reported clause"),
  ("the sides had agreed to keep","reported","Boris Halvorsen",""),
  ("The first step is a ceasefire that holds,","direct","Boris Halvorsen",""),
  ('Everything else can follow, but nothing can follow without that.\n"We are not there yet.',"direct","Boris Halvorsen","two paragraphs"),
  ("no indication either way","direct","Boris Halvorsen","after 'Asked whether'"),
  ("If the guns fall silent, we are ready to talk about everything, including the hardest","direct","Hanna Kovalenko","excerpt cut off inside the quotation: truncated"),
 ],
 'live_blog_labels': [
  ("A ceasefire without guarantees is only a pause before the next attack. We will not sign a pause.","direct","the Ukrainian president","'Quote:' label; speaker in the 'Details:' paragraph"),
  ("her country was ready to help","reported","Aino Lindqvist",""),
  ("Finland will contribute to any mission that protects a ceasefire, on land or at sea.","direct","Aino Lindqvist","'Quote from Lindqvist:' label"),
  ("the United States had expressed an interest in restoring direct flights between the two countries","reported","Sergei Lavrov","Lavrov reports the United States' position"),
  ("Why should Europe decide what Russia and America talk about?","direct","Sergei Lavrov","a question: 'Lavrov asked'"),
  ("Kyiv had not been consulted on the agenda of the Geneva meeting","reported","the Ukrainian president","role reference"),
 ],
 'wire_scare_quotes': [
  ("premature","direct","Kremlin","scare quote inside a reported clause"),
  ("it would never accept foreign troops near its borders","reported","Kremlin",""),
  ("Moscow regarded the so-called","reported","Dmitry Peskov",""),
  ("reassurance force","direct","Dmitry Peskov","scare quote inside a reported clause"),
  ("the proposal remained on the table","reported","European diplomats",""),
  ("predictable","direct","European diplomats",""),
  ("productive","direct","Marco Rubio","the first of two named speakers"),
  ("work continues","direct","Sergei Lavrov","the second of two named speakers"),
  ("We want peace, but peace through strength,","direct","Marco Rubio",""),
  ("That means sanctions stay until there is a real ceasefire.","direct","Marco Rubio",""),
 ],
 'two_speakers': [
  ("we have agreed to keep talking","direct","Marco Rubio","the first of two named speakers: 'X met Y ... and said'"),
  ("the sanctions must go before anything else","direct","Sergei Lavrov","a name inside a relative clause ('who spoke after Rubio') is not the speaker"),
  ("nothing about Ukraine can be decided in Valletta","direct","Hanna Kovalenko","'whose ministry was not invited'"),
  ("We will meet again within a month.","direct","Marco Rubio","'Rubio thanked Lavrov and added:'"),
  ("This was a useful meeting,","direct","Marco Rubio",""),
  ("no reason to hurry","direct","Dmitry Peskov","a scare quote inside a reported clause, the subject before a relative clause"),
 ],
}
for name, rows in specs.items():
    text = (ART / f'{name}.txt').read_bytes().decode('utf-8')
    used = {}
    out = []
    for q, kind, speaker, notes in rows:
        start = text.find(q, used.get(q, 0))
        if "after the headline's" in notes:  # the same words quoted in the headline (not in the gold)
            start = text.find(q, start + 1)
        assert start >= 0, (name, q)
        used[q] = start + 1
        out.append([q, kind, speaker, '', '', '', '', str(start), 'SYNTHETIC gold for a synthetic test article' + (f'; {notes}' if notes else '')])
    with open(OUT / f'{name}.csv', 'w', newline='', encoding='utf-8') as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator='\n')
        w.writerow(["quote_text","kind","speaker","speaker_role_or_org","attribution_cue","issue","stance","char_start","notes"])
        w.writerows(out)
print(f'wrote {len(specs)} gold files to {OUT}')
