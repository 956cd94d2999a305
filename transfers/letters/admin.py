"""Letter templates in the admin (system administrator): edited through the service, so a change
bumps the version and an unknown placeholder is refused; the history keeps every earlier text."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from program.core.errors import ApplicationError
from transfers.letters import services
from transfers.letters.models import LetterTemplate


class LetterTemplateForm(forms.ModelForm[LetterTemplate]):
    class Meta:
        model = LetterTemplate
        fields = ["agreement", "kind", "language", "title", "body", "labels", "active"]

    reason = forms.CharField(max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.letter_template_check(
                kind=data.get("kind", ""),
                language=data.get("language", ""),
                title=data.get("title", ""),
                body=data.get("body", ""),
            )
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin[LetterTemplate]):
    form = LetterTemplateForm
    list_display = ["kind", "language", "agreement", "version", "active", "changed_at"]
    list_filter = ["kind", "language", "agreement", "active"]
    list_select_related = ["agreement"]
    readonly_fields = ["version", "changed_by", "changed_at"]

    def save_model(
        self, request: HttpRequest, obj: LetterTemplate, form: Any, change: bool
    ) -> None:
        saved = services.letter_template_save(
            agreement=obj.agreement,
            kind=obj.kind,
            language=obj.language,
            title=obj.title,
            body=obj.body,
            labels=obj.labels or {},
            active=obj.active,
            reason=form.cleaned_data.get("reason", ""),
            actor=request.user if request.user.is_authenticated else None,
        )
        obj.pk = saved.pk
        obj.version = saved.version

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # letters made from it point at its versions
