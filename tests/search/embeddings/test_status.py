"""``hubnet search status`` tells the vector side: models, counts, errors."""

import json

from django.conf import settings
from django.core.management import call_command

from search.embeddings.fill import embeddings_fill
from tests.search.corpus import index_all, wire


def test_the_status_counts_documents_with_and_without_a_vector(
    db, fresh_alias, engine, switchable_encoder, capsys
):
    # given two records of this hub (nl), one of them embedded, one of be waiting
    mine = wire(hub="nl", name="Slimme verkeerslichten")
    index_all(engine, [mine])
    assert embeddings_fill(engine=engine).written == 1
    index_all(engine, [wire(hub="be", name="Feux de circulation")])
    engine.index_refresh(name=fresh_alias)
    # when
    call_command("search", "status")
    text = capsys.readouterr().out
    call_command("search", "status", "--json")
    data = json.loads(capsys.readouterr().out)["vectors"]
    # then
    model = switchable_encoder.model_id_for(max_tokens=settings.SEARCH_EMBED_MAX_TOKENS)
    assert f"vectors:    model {model} (index: {model}); 1 with, 1 waiting" in text
    assert (data["with_vector"], data["without_vector"], data["embedded_here"]) == (
        1,
        1,
        1,
    )
