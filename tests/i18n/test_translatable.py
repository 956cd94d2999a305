"""What the admin shows is translatable: every app's, model's and field's name of the project's
own apps is a gettext_lazy string, so it follows the reader's language."""

from django.utils.functional import Promise

from program.core.field_tags import model_fields, project_apps

# Fields pghistory adds to every history model (pgh_id, pgh_obj, …): named by pghistory itself.
HISTORY_PREFIX = "pgh_"


def test_every_app_model_and_field_name_is_marked_for_translation() -> None:
    untranslated = []
    for config in project_apps():
        if not isinstance(config.verbose_name, Promise):
            untranslated.append(f"app {config.label}")
        for model in config.get_models():
            if getattr(model, "pgh_tracked_model", None) is not None:
                continue  # a history model: pghistory names it after the tracked one
            for option in ("verbose_name", "verbose_name_plural"):
                if option in model._meta.original_attrs and not isinstance(
                    model._meta.original_attrs[option], Promise
                ):
                    untranslated.append(f"{model._meta.label}.Meta.{option}")
            if "verbose_name" not in model._meta.original_attrs:
                untranslated.append(f"{model._meta.label} has no verbose_name")
            for field in model_fields(model):
                if field.name == "id" or field.name.startswith(HISTORY_PREFIX):
                    continue
                if not isinstance(field.verbose_name, Promise):
                    untranslated.append(f"{model._meta.label}.{field.name}")
    assert untranslated == []
