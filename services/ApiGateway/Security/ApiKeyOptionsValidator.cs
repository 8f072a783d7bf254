using System.ComponentModel.DataAnnotations;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.ApiGateway.Security;

/// <summary>Checks every configured key at start, naming the key and the setting that is wrong.</summary>
public sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        if (options.Keys.Count == 0)
            failures.Add("ApiKeys:Keys must hold at least one API key (for example ApiKeys__Keys__0__Id, __Role, __Salt and __Sha256 in the environment).");
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options.Keys[i], new ValidationContext(options.Keys[i]), results, validateAllProperties: true))
                failures.AddRange(results.Select(r => r.ErrorMessage!.Replace("Keys:n:", $"Keys:{i}:", StringComparison.Ordinal)));
            foreach (var shop in options.Keys[i].Shops)
                if (ShopDomains.Validate(shop) is { } problem) failures.Add($"ApiKeys:Keys:{i}:Shops: {problem}");
        }
        foreach (var duplicate in options.Keys.GroupBy(k => k.Id).Where(g => g.Count() > 1))
            failures.Add($"ApiKeys:Keys: the id '{duplicate.Key}' is used by more than one key.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
