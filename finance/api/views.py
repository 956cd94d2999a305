from rest_framework import viewsets

from finance import selectors
from finance.api.serializers import AidStreamSerializer, PricingTermsSerializer


class PricingTermsViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PricingTermsSerializer
    queryset = selectors.pricing_terms_list()
    filterset_fields = ["agreement", "pricing_model"]


class AidStreamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AidStreamSerializer
    queryset = selectors.aid_stream_list()
    filterset_fields = ["agreement"]
