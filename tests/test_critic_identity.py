"""One critic, one identity: spellings at one outlet merge, namesakes at two outlets stay apart unless pinned."""
from critics.tasks.extract.critics import name_key, resolve_critics


def test_middle_initial_case_and_accents_do_not_make_another_critic():
    assert name_key("Jane Q. Doe")[0] == name_key("JANE DOE")[0] == name_key("  Jane  Doe ")[0] == "jane doe"
    assert name_key("Renée Zellweger")[0] == name_key("Renee ZELLWEGER")[0]
    resolved = resolve_critics({("Jane Q. Doe", "Planet"): 3, ("Jane Doe", "Planet"): 1, ("JANE DOE", "Planet"): 1})
    assert len({critic_id for critic_id, _ in resolved.values()}) == 1
    assert {name for _, name in resolved.values()} == {"Jane Q. Doe"}  # the most used spelling


def test_namesakes_at_two_outlets_stay_apart_unless_the_config_pins_them():
    bylines = [("Jane Doe", "Planet"), ("Jane Doe", "Bugle")]
    assert len({c for c, _ in resolve_critics(bylines).values()}) == 2
    pinned = resolve_critics(bylines + [("Jane Q. Doe", "Wire")], same=[["Jane Doe", "Jane Q. Doe"]])
    assert len({c for c, _ in pinned.values()}) == 1


def test_two_middle_initials_at_one_outlet_are_two_people():
    resolved = resolve_critics([("Jane Q. Doe", "Planet"), ("Jane R. Doe", "Planet"), ("Jane Doe", "Planet")])
    assert len({c for c, _ in resolved.values()}) == 3


def test_unsigned_reviews_are_one_critic_per_outlet():
    resolved = resolve_critics([(None, "Planet"), ("", "Planet"), (None, "Bugle")])
    assert resolved[(None, "Planet")] == resolved[("", "Planet")] == ("unsigned--planet", "(unsigned)")
    assert resolved[(None, "Bugle")][0] == "unsigned--bugle"
