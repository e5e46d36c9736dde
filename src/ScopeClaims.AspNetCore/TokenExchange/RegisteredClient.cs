using System.Collections.Generic;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>A <see cref="TokenExchangeClient"/> read and checked once at start.</summary>
/// <param name="Id">The client id.</param>
/// <param name="Secret">The secret's hash, for <c>client_secret_basic</c> and <c>client_secret_post</c>; <see langword="null"/> for a key client.</param>
/// <param name="Keys">The public keys its assertions are signed with (<c>private_key_jwt</c>); <see langword="null"/> for a secret client.</param>
/// <param name="Audiences">The audiences it may ask for.</param>
/// <param name="Scopes">The scopes it may obtain.</param>
internal sealed record RegisteredClient(string Id, ClientSecretHash? Secret, IReadOnlyList<JsonWebKey>? Keys, HashSet<string> Audiences, ScopeSet Scopes);
