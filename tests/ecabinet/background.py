"""A background task for the worker test: it publishes like real background work will."""

from django_tasks import task

from ecabinet.models import EventStream, Tenant
from ecabinet.realtime import publish_on_commit
from ecabinet.tenancy import tenant_context


@task()
def publish_from_the_worker(tenant_id: int, stream_id: int, text: str) -> int:
    with tenant_context(Tenant.objects.get(pk=tenant_id)):
        return publish_on_commit(EventStream.objects.get(pk=stream_id), "test.background", {"text": text}).seq
