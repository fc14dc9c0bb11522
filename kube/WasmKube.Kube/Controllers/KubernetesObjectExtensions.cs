using System.Text.Json;
using WasmKube.Kube.Models;

namespace WasmKube.Kube.Controllers;

/// <summary>Helpers every controller needs: copies, owner references, finalizers.</summary>
public static class KubernetesObjectExtensions
{
    /// <summary>A deep copy, so objects from the shared cache are never mutated in place.</summary>
    public static T DeepClone<T>(this T item)
        where T : class, IKubernetesObject<T> =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(item, T.Definition.TypeInfo), T.Definition.TypeInfo)!;

    /// <summary>An owner reference marking <paramref name="owner"/> as the controller, blocking its deletion until dependents are gone in foreground deletion.</summary>
    public static V1OwnerReference ToControllerReference<T>(this T owner)
        where T : class, IKubernetesObject<T> => new()
    {
        ApiVersion = T.Definition.ApiVersion,
        Kind = T.Definition.Kind,
        Name = owner.Metadata.Name ?? throw new ArgumentException("The owner has no name."),
        Uid = owner.Metadata.Uid ?? throw new ArgumentException($"The owner {owner.Metadata.Name} has no uid; read it from the server first."),
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static V1OwnerReference? GetControllerReference(this IKubernetesObject item) =>
        item.Metadata.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true);

    public static bool IsControlledBy(this IKubernetesObject item, IKubernetesObject owner) =>
        item.GetControllerReference()?.Uid is { } uid && uid == owner.Metadata.Uid;

    public static bool HasFinalizer(this IKubernetesObject item, string finalizer) =>
        item.Metadata.Finalizers?.Contains(finalizer) == true;

    /// <summary>Adds the finalizer; returns false if it was already there (nothing to write).</summary>
    public static bool AddFinalizer(this IKubernetesObject item, string finalizer)
    {
        if (item.HasFinalizer(finalizer))
        {
            return false;
        }
        (item.Metadata.Finalizers ??= []).Add(finalizer);
        return true;
    }

    /// <summary>Removes the finalizer; returns false if it was not there.</summary>
    public static bool RemoveFinalizer(this IKubernetesObject item, string finalizer) =>
        item.Metadata.Finalizers?.Remove(finalizer) == true;
}
