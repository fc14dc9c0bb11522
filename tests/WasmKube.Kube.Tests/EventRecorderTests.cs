using WasmKube.Kube.Client;
using WasmKube.Kube.Config;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;
using WasmKube.Kube.Testing;

namespace WasmKube.Kube.Tests;

public sealed class EventRecorderTests
{
    [Fact]
    public async Task Repeats_fold_into_one_event_with_a_count()
    {
        await using var server = await TestApiServer.StartAsync();
        using var client = new KubernetesClient(KubeConfigLoader.Load(server.KubeconfigPath));
        var subject = await client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "subject", Namespace = "default" } });
        var recorder = new EventRecorder(client, "tests");

        await recorder.RecordAsync(subject, EventSeverity.Warning, "Broken", "it broke");
        await recorder.RecordAsync(subject, EventSeverity.Warning, "Broken", "it broke");
        await recorder.RecordAsync(subject, EventSeverity.Normal, "Fixed", "it works");

        var events = (await client.ListAsync<Corev1Event>("default")).Items;
        var broken = Assert.Single(events, e => e.Reason == "Broken");
        Assert.Equal(2, broken.Count);
        Assert.Equal("Warning", broken.Type);
        Assert.Equal(subject.Metadata.Uid, broken.InvolvedObject.Uid);
        Assert.Equal("tests", broken.Source!.Component);
        Assert.Single(events, e => e.Reason == "Fixed");
    }
}
