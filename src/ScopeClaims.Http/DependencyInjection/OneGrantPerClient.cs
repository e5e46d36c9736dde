using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.Http.Internal;

/// <summary>A client carries one grant: adding a second kind of grant to the same <c>HttpClient</c> throws.</summary>
internal static class OneGrantPerClient
{
    /// <summary>Throws when client <paramref name="name"/> has a grant registered other than <paramref name="own"/>.</summary>
    /// <exception cref="InvalidOperationException">It has.</exception>
    public static void Check(IServiceCollection services, string name, Type own)
    {
        var other = services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, name) && d.ServiceType != own
            && (d.ServiceType == typeof(JwtBearerGrantRegistration) || (d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(TokenGrantRegistration<>))));
        if (other)
        {
            throw new InvalidOperationException($"HttpClient '{name}' already has a grant (AddJwtBearerGrant, AddClientCredentialsGrant or AddTokenExchangeGrant); a client carries one grant. Register another HttpClient for this one.");
        }
    }
}
