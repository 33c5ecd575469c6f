"""Thin API classes: who am I, my API tokens, and the region admin's user management."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import IsRegionAdmin
from apps.access.roles import is_support_session, request_actor, user_opd_codes, user_roles
from apps.accounts import selectors, services
from apps.accounts.middleware import support_account_pages_message
from apps.accounts.models import ApiToken, Invitation, Role, User
from tenants.http import region_of


class MeOutputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    platform_role = serializers.CharField()
    province_code = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    opd_codes = serializers.ListField(child=serializers.CharField())
    support_session = serializers.BooleanField()


class MeApi(APIView):
    """The signed-in principal, their roles in this region and OPD bindings."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user
        data = {
            "email": user.email,
            "full_name": getattr(user, "full_name", ""),
            "platform_role": getattr(user, "platform_role", ""),
            "province_code": getattr(user, "province_code", ""),
            "roles": sorted(user_roles(user)),
            "opd_codes": sorted(user_opd_codes(user)),
            "support_session": is_support_session(user),
        }
        return Response(MeOutputSerializer(data).data)


class ApiTokenOutputSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]


class ApiTokenCreateInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)


class ApiTokenCreatedSerializer(ApiTokenOutputSerializer):
    key = serializers.CharField(read_only=True)

    class Meta(ApiTokenOutputSerializer.Meta):
        fields = [*ApiTokenOutputSerializer.Meta.fields, "key"]


def _owner(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        from rest_framework.exceptions import PermissionDenied

        if is_support_session(user):
            raise PermissionDenied(support_account_pages_message())
        raise PermissionDenied(_("Token API hanya untuk pengguna terdaftar di sini."))
    return user


class ApiTokenListCreateApi(APIView):
    """GET: my active tokens. POST: a new token; its key is shown in this response only."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApiTokenOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        tokens = selectors.api_token_list(user=_owner(request))
        return Response(ApiTokenOutputSerializer(tokens, many=True).data)

    @extend_schema(
        request=ApiTokenCreateInputSerializer, responses={201: ApiTokenCreatedSerializer}
    )
    def post(self, request: Request) -> Response:
        owner = _owner(request)
        payload = ApiTokenCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        token, raw = services.api_token_create(user=owner, name=payload.validated_data["name"])
        data = dict(ApiTokenOutputSerializer(token).data)
        data["key"] = raw
        return Response(data, status=status.HTTP_201_CREATED)


class ApiTokenRevokeApi(APIView):
    """DELETE: revoke one of my tokens (another user's token is a 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        owner = _owner(request)
        token = get_object_or_404(selectors.api_token_list(user=owner), pk=token_id)
        services.api_token_revoke(token=token, revoked_by=owner)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserOutputSerializer(serializers.ModelSerializer[User]):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "is_active", "last_login", "roles"]

    def get_roles(self, user: User) -> list[dict[str, str]]:
        """Each role with its OPD code, or its wilayah code and the place's name."""
        places = self.context.get("places") or {}
        return [
            {
                "role": a.role,
                "opd_code": a.opd_code,
                "wilayah_code": a.wilayah_code,
                "wilayah_nama": places.get(a.wilayah_code, ""),
            }
            for a in user.role_assignments.all()
        ]


def _places() -> dict[str, str]:
    return dict(selectors.wilayah_places())


class UserListApi(APIView):
    """The region's users and their roles (region admin; observers may read)."""

    permission_classes = [IsRegionAdmin]

    @extend_schema(responses=UserOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = UserOutputSerializer(selectors.user_list(), many=True, context={"places": _places()})
        return Response(rows.data)


class InvitationInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices)
    opd_code = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    wilayah_code = serializers.CharField(
        max_length=13, required=False, allow_blank=True, default=""
    )


class InvitationOutputSerializer(serializers.ModelSerializer[Invitation]):
    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "opd_code",
            "wilayah_code",
            "created_at",
            "expires_at",
            "invited_by_label",
        ]


class InvitationCreateApi(APIView):
    """Invite a person to this region with one role; the link goes by email."""

    permission_classes = [IsRegionAdmin]

    @extend_schema(request=InvitationInputSerializer, responses={201: InvitationOutputSerializer})
    def post(self, request: Request) -> Response:
        payload = InvitationInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            tenant=region_of(request),
            invited_by=request_actor(request),
            base_url=request.build_absolute_uri("/"),
            **payload.validated_data,
        )
        return Response(InvitationOutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class UserRolesInputSerializer(serializers.Serializer[Any]):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), max_length=len(Role.choices)
    )
    opd_code = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    wilayah_code = serializers.CharField(
        max_length=13, required=False, allow_blank=True, default=""
    )


class UserRolesSetApi(APIView):
    """PUT: replace a user's roles."""

    permission_classes = [IsRegionAdmin]

    @extend_schema(request=UserRolesInputSerializer, responses=UserOutputSerializer)
    def put(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(User, pk=user_id)
        payload = UserRolesInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.user_roles_set(user=user, changed_by=request.user, **payload.validated_data)
        row = selectors.user_list().get(pk=user.pk)
        return Response(UserOutputSerializer(row, context={"places": _places()}).data)


class UserDeactivateApi(APIView):
    permission_classes = [IsRegionAdmin]

    @extend_schema(request=None, responses=UserOutputSerializer)
    def post(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(User, pk=user_id)
        services.user_deactivate(user=user, deactivated_by=request.user)
        row = selectors.user_list().get(pk=user.pk)
        return Response(UserOutputSerializer(row, context={"places": _places()}).data)
