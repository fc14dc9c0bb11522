using System.Net;
using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Tests;

public sealed class DeletionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    const string Workloads = "apis/wasmkube.io/v1alpha1/namespaces/default/wasmworkloads";
    const string Deployments = "apis/apps/v1/namespaces/default/deployments";
    const string ConfigMaps = "api/v1/namespaces/default/configmaps";

    ApiClient Api => fixture.Client;

    [Fact]
    public async Task Finalizers_keep_the_object_until_the_last_one_is_removed()
    {
        var workload = Objects.Workload("finalized");
        workload["metadata"]!["finalizers"] = new JsonArray("wasmkube.io/cleanup");
        await Api.PostAsync(Workloads, workload);
        var list = await Api.GetAsync(Workloads);
        using var watch = await Api.WatchAsync($"{Workloads}?watch=true&fieldSelector=metadata.name%3Dfinalized&resourceVersion={list.ResourceVersion}");

        var deleting = await Api.DeleteAsync($"{Workloads}/finalized");
        var stillThere = (await Api.GetAsync($"{Workloads}/finalized")).Object;
        var addFinalizer = stillThere.DeepClone().AsObject();
        ((JsonArray)addFinalizer["metadata"]!["finalizers"]!).Add("another");
        var forbidden = await Api.PutAsync($"{Workloads}/finalized", addFinalizer);
        var release = await Api.PatchAsync($"{Workloads}/finalized", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, deleting.Status);
        Assert.NotNull(stillThere["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, (int?)stillThere["metadata"]!["deletionGracePeriodSeconds"]);
        Assert.Equal(2, (int?)stillThere["metadata"]!["generation"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forbidden.Status);
        Assert.Equal(HttpStatusCode.OK, release.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{Workloads}/finalized")).Status);
        Assert.Equal("MODIFIED", (string?)(await watch.NextChangeAsync())!["type"]);
        Assert.Equal("DELETED", (string?)(await watch.NextChangeAsync())!["type"]);
    }

    [Fact]
    public async Task Background_deletion_collects_dependents_whose_owners_are_gone()
    {
        var owner = (await Api.PostAsync(Workloads, Objects.Workload("owner-bg"))).Object;
        await Api.PostAsync(Deployments, Objects.Deployment("owned-bg", owner: owner));
        var configMap = Objects.ConfigMap("owned-bg-config");
        configMap["metadata"]!["ownerReferences"] = new JsonArray(Objects.OwnerReference(owner));
        await Api.PostAsync(ConfigMaps, configMap);
        var otherOwner = (await Api.PostAsync(ConfigMaps, Objects.ConfigMap("second-owner"))).Object;
        var shared = Objects.ConfigMap("shared-dependent");
        shared["metadata"]!["ownerReferences"] = new JsonArray(Objects.OwnerReference(owner), Objects.OwnerReference(otherOwner));
        await Api.PostAsync(ConfigMaps, shared);

        await Api.DeleteAsync($"{Workloads}/owner-bg");

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{Deployments}/owned-bg")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{ConfigMaps}/owned-bg-config")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync($"{ConfigMaps}/shared-dependent")).Status);
    }

    [Fact]
    public async Task Foreground_deletion_waits_for_dependents()
    {
        var owner = (await Api.PostAsync(Workloads, Objects.Workload("owner-fg"))).Object;
        var dependent = Objects.Deployment("owned-fg", owner: owner);
        dependent["metadata"]!["finalizers"] = new JsonArray("test/hold");
        await Api.PostAsync(Deployments, dependent);

        await Api.DeleteAsync($"{Workloads}/owner-fg", new JsonObject { ["propagationPolicy"] = "Foreground" });
        var waitingOwner = (await Api.GetAsync($"{Workloads}/owner-fg")).Object;
        var deletingDependent = (await Api.GetAsync($"{Deployments}/owned-fg")).Object;
        await Api.PatchAsync($"{Deployments}/owned-fg", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");

        Assert.Contains("foregroundDeletion", ((JsonArray)waitingOwner["metadata"]!["finalizers"]!).Select(f => (string?)f));
        Assert.NotNull(deletingDependent["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{Deployments}/owned-fg")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{Workloads}/owner-fg")).Status);
    }

    [Fact]
    public async Task Orphan_deletion_keeps_dependents_and_strips_their_owner_references()
    {
        var owner = (await Api.PostAsync(Workloads, Objects.Workload("owner-orphan"))).Object;
        await Api.PostAsync(Deployments, Objects.Deployment("owned-orphan", owner: owner));

        await Api.DeleteAsync($"{Workloads}/owner-orphan?propagationPolicy=Orphan");
        var orphan = await Api.GetAsync($"{Deployments}/owned-orphan");

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{Workloads}/owner-orphan")).Status);
        Assert.Equal(HttpStatusCode.OK, orphan.Status);
        Assert.Null(orphan.Body!["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task Delete_preconditions_and_missing_objects()
    {
        await Api.PostAsync(ConfigMaps, Objects.ConfigMap("guarded"));
        var stale = await Api.DeleteAsync($"{ConfigMaps}/guarded", new JsonObject { ["preconditions"] = new JsonObject { ["resourceVersion"] = "1" } });
        var missing = await Api.DeleteAsync($"{ConfigMaps}/never-existed");

        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("NotFound", missing.Reason);
        Assert.Equal("configmaps \"never-existed\" not found", (string?)missing.Body!["message"]);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_contents()
    {
        await Api.PostAsync("api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "doomed" } });
        await Api.PostAsync("api/v1/namespaces/doomed/configmaps", Objects.ConfigMap("inside"));

        await Api.DeleteAsync("api/v1/namespaces/doomed");

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("api/v1/namespaces/doomed/configmaps/inside")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("api/v1/namespaces/doomed")).Status);
    }
}
