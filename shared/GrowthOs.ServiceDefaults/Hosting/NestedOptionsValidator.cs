using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Hosting;

/// <summary>
/// Validates the data annotations and <see cref="IValidatableObject"/> rules of every object nested in an options class
/// (a property of its own type, an item of a list, a value of a dictionary), which <c>ValidateDataAnnotations</c> leaves
/// alone, and names each failure by its configuration path: <c>Shopify:Shops:2:AccessToken</c>.
/// </summary>
public sealed class NestedOptionsValidator<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        foreach (var (path, child) in Children(section, options)) Walk(path, child, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Walk(string path, object value, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            failures.AddRange(results.Select(r => $"{path}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        foreach (var (childPath, child) in Children(path, value)) Walk(childPath, child, failures);
    }

    /// <summary>The objects of the project's own option types directly below <paramref name="value"/>, with their paths.</summary>
    private static IEnumerable<(string Path, object Value)> Children(string path, object value)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetValue(value) is not { } member) continue;
            var memberPath = $"{path}:{property.Name}";
            switch (member)
            {
                case string:
                    break;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                        if (entry.Value is { } item && IsOptionsType(item.GetType())) yield return ($"{memberPath}:{entry.Key}", item);
                    break;
                case IEnumerable items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is not null && IsOptionsType(item.GetType())) yield return ($"{memberPath}:{index}", item);
                        index++;
                    }
                    break;
                default:
                    if (IsOptionsType(member.GetType())) yield return (memberPath, member);
                    break;
            }
        }
    }

    private static bool IsOptionsType(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("GrowthOs.", StringComparison.Ordinal) == true;
}
