// Private endpoints and their private DNS zones (linked to the virtual network) for every service the app
// talks to, so each name resolves to a private address inside the network.
param location string
param tags object
param virtualNetworkId string
param subnetId string
param storageAccountId string
param includeStorageQueue bool
param serviceBusNamespaceId string
param keyVaultId string

var storageSuffix = environment().suffixes.storage
var storageName = last(split(storageAccountId, '/'))
var storageGroups = includeStorageQueue ? ['blob', 'table', 'queue'] : ['blob', 'table']
var storageTargets = map(storageGroups, group => { name: '${storageName}-${group}', resourceId: storageAccountId, group: group, zone: 'privatelink.${group}.${storageSuffix}' })
var otherTargets = [
  {
    name: '${last(split(serviceBusNamespaceId, '/'))}-namespace'
    resourceId: serviceBusNamespaceId
    group: 'namespace'
    zone: 'privatelink.servicebus.windows.net'
  }
  {
    name: '${last(split(keyVaultId, '/'))}-vault'
    resourceId: keyVaultId
    group: 'vault'
    zone: 'privatelink.vaultcore.azure.net'
  }
]
var targets = concat(storageTargets, otherTargets)

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [
  for target in targets: {
    name: target.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [
  for (target, i) in targets: {
    parent: zones[i]
    name: 'vnet-link'
    location: 'global'
    tags: tags
    properties: {
      virtualNetwork: { id: virtualNetworkId }
      registrationEnabled: false
    }
  }
]

resource endpoints 'Microsoft.Network/privateEndpoints@2023-11-01' = [
  for target in targets: {
    name: 'pep-${target.name}'
    location: location
    tags: tags
    properties: {
      subnet: { id: subnetId }
      privateLinkServiceConnections: [
        {
          name: target.name
          properties: {
            privateLinkServiceId: target.resourceId
            groupIds: [target.group]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = [
  for (target, i) in targets: {
    parent: endpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: replace(target.zone, '.', '-')
          properties: { privateDnsZoneId: zones[i].id }
        }
      ]
    }
  }
]
