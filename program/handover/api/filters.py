import django_filters
from django.db.models import QuerySet

from program.core.api.filters import IntegerFilter
from program.handover.models import Handover


class HandoverFilter(django_filters.FilterSet):
    transport = IntegerFilter(
        field_name="batch_id", min_value=1, label="Only the records of this transport (its id)"
    )
    case = IntegerFilter(
        field_name="case_id", min_value=1, label="Only the records of this transfer case (its id)"
    )
    editions = django_filters.BooleanFilter(
        method="with_editions",
        label="true: superseded editions too (the history of corrections); "
        "else the records in force",
    )

    class Meta:
        model = Handover
        fields: list[str] = []

    def with_editions(
        self, queryset: QuerySet[Handover], name: str, value: bool | None
    ) -> QuerySet[Handover]:
        return queryset  # applied in qs, which also covers the parameter left out

    @property
    def qs(self) -> QuerySet[Handover]:
        records: QuerySet[Handover] = super().qs
        if not self.form.cleaned_data.get("editions"):
            records = records.filter(superseded_at__isnull=True)
        return records
