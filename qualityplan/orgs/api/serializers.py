from rest_framework import serializers

from qualityplan.orgs.models import Unit, UnitGroup


class UnitOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "kind", "name", "short_name", "name_en", "gb_code", "legacy_codes"]


class UnitGroupOutputSerializer(serializers.ModelSerializer):
    members = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = UnitGroup
        fields = ["id", "code", "name", "name_en", "members"]
