// Secrets the app reads through Key Vault references (app settings `@Microsoft.KeyVault(SecretUri=...)`).
// RBAC mode: the app's identity is a Key Vault Secrets User (rbac.bicep). A secret given as a parameter is
// written here; an empty one is left alone, so secrets can also be set in the vault directly.
param name string
param location string
param tags object
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string

@secure()
@description('Secret name -> value. Empty values are skipped.')
param secrets object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      defaultAction: publicNetworkAccess == 'Disabled' ? 'Deny' : 'Allow'
      // Trusted Azure services only (e.g. ARM writing the secrets of a deployment). The app's Key Vault references
      // resolve through the private endpoint, as the app is in the VNet; they do not rely on this bypass.
      bypass: 'AzureServices'
    }
  }
}

resource secretValues 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for secret in items(secrets): if (!empty(secret.value)) {
    parent: vault
    name: secret.key
    properties: {
      value: secret.value
      contentType: 'text/plain'
    }
  }
]

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
