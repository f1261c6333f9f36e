from rest_framework import serializers

from qualityplan.public.models import Publication


class PublicationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["id", "kind", "key", "title", "slug", "published_at", "withdrawn_at"]


class PublishInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=30)
    key = serializers.CharField(max_length=100)
