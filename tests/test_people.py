"""Credits pooled per film, catalogue principals as credits, and the credit-set fingerprint."""
from critics.schemas.records import Credit
from critics.tasks.extract.people import catalogue_credit, credits_key, pool_credits


def test_pool_keeps_every_distinct_credit_directors_first_in_first_seen_order():
    page_a = [Credit("Ada Brandt", "actor", "Ruth"), Credit("Kenji Halloran", "director")]
    page_b = [Credit("Kenji Halloran", "director"), Credit("Tova Marchetti", "writer")]
    pooled = pool_credits([page_a, [], page_b])
    assert pooled == [Credit("Kenji Halloran", "director"), Credit("Tova Marchetti", "writer"),
                      Credit("Ada Brandt", "actor", "Ruth")]


def test_catalogue_adds_people_no_page_credits_but_not_a_second_spelling_of_one():
    page = [Credit("Ines Okafor", "director")]
    catalogue = [Credit("INES OKAFOR", "director"), Credit("Bram Achterberg", "actor", "Tobiah Marsh")]
    assert pool_credits([page], catalogue) == [Credit("Ines Okafor", "director"),
                                               Credit("Bram Achterberg", "actor", "Tobiah Marsh")]


def test_principal_category_and_characters_become_a_credit():
    assert catalogue_credit("Carys Lindqvist", "actress", '["June Ellery","Young June"]') == \
        Credit("Carys Lindqvist", "actor", "June Ellery / Young June")
    assert catalogue_credit("Tova Marchetti", "writer", None) == Credit("Tova Marchetti", "writer", None)


def test_fingerprint_ignores_order_and_sees_a_new_credit():
    a, b = Credit("A B", "actor"), Credit("C D", "director")
    assert credits_key([a, b]) == credits_key([b, a])
    assert credits_key([a]) != credits_key([a, b])
