using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmKube.Kube.Models;
using WasmKube.Kube.Controllers;

namespace WasmKube.Kube.Hosting;

/// <summary>Fluent registration of controllers, in the shape KubeOps users know.</summary>
public sealed class OperatorBuilder(IServiceCollection services)
{
    public IServiceCollection Services => services;

    /// <summary>
    /// Registers <typeparamref name="TReconciler"/> for <typeparamref name="TEntity"/>; <paramref name="configure"/>
    /// adds owned types and extra watches (<c>c =&gt; c.Owns&lt;V1Deployment&gt;()</c>).
    /// </summary>
    public OperatorBuilder AddController<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TReconciler, TEntity>(Action<Controller<TEntity>>? configure = null)
        where TReconciler : class, IReconciler
        where TEntity : class, IKubernetesObject<TEntity>
    {
        services.TryAddSingleton<TReconciler>();
        var name = TEntity.Definition.Kind.ToLowerInvariant();
        services.AddSingleton(new ControllerRegistration(name, provider =>
        {
            var options = provider.GetRequiredService<IOptions<OperatorOptions>>().Value;
            var controller = new Controller<TEntity>(
                name,
                provider.GetRequiredService<InformerCache>(),
                provider.GetRequiredService<TReconciler>(),
                new ControllerOptions { MaxConcurrentReconciles = options.MaxConcurrentReconciles },
                provider.GetRequiredService<ILoggerFactory>().CreateLogger($"WasmKube.Kube.Controller.{TEntity.Definition.Kind}"),
                provider.GetRequiredService<ControllerMetrics>());
            configure?.Invoke(controller);
            return controller;
        }));
        return this;
    }
}
