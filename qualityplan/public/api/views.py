"""``/api/v1/public/publications/``: the office lists, publishes and withdraws portal items."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from qualityplan.public import policies, services
from qualityplan.public.api import serializers as s
from qualityplan.public.models import Publication


class PublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Publications (``?live=1``: only those on the portal). POST publishes ``{kind, key}`` (a refresh replaces the
    live snapshot); ``POST /{id}/withdraw/`` takes it off the portal and open data."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.PublicationOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Publication.objects.none()
        if not policies.can_publish(self.request.user):
            raise PermissionDenied
        qs = Publication.objects.restrict(self.request.user, "view").defer("data").order_by("-published_at", "-id")
        if self.request.query_params.get("live") in ("1", "true"):
            qs = qs.filter(withdrawn_at__isnull=True)
        return qs

    @extend_schema(request=s.PublishInputSerializer, responses={201: s.PublicationOutputSerializer})
    def create(self, request):
        if not policies.can_publish(request.user):
            raise PermissionDenied  # before validation
        data = s.PublishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pub = services.publication_publish(user=request.user, **data.validated_data)
        return Response(s.PublicationOutputSerializer(pub).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.PublicationOutputSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        if not policies.can_publish(request.user):
            raise PermissionDenied
        pub = self.get_object()
        services.publication_withdraw(user=request.user, publication=pub)
        return Response(s.PublicationOutputSerializer(pub).data)
