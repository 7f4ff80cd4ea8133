import { parseCloudFormationYaml } from './cloudformation-yaml.js';
import { renderCloudFormation, type RenderContext } from './render-cloudformation.js';

const context: RenderContext = { parameters: {}, accountId: '123456789012', region: 'eu-west-1', partition: 'aws' };

const template = (body: string) =>
  parseCloudFormationYaml(`
Parameters:
  Name: { Type: String, Default: media }
  List: { Type: CommaDelimitedList, Default: 'a,b' }
  Days: { Type: Number, Default: 0 }
Conditions:
  IsMedia: !Equals [!Ref Name, media]
  NoDays: !Equals [!Ref Days, 0]
  Both: !And [!Condition IsMedia, !Not [!Condition NoDays]]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: { BucketName: !Sub '\${Name}-bucket' }
  Thing:
    Type: Test::Thing
    Properties:
${body}
`);

const props = (body: string, parameters: Record<string, string> = {}) =>
  renderCloudFormation(template(body), { ...context, parameters }).resources['Thing']!.Properties;

describe('renderCloudFormation', () => {
  it('evaluates Ref, Sub (with GetAtt and pseudo parameters), Join, Split and Select', () => {
    expect(
      props(`
      A: !Ref List
      B: !Sub 'arn:\${AWS::Partition}:x:\${AWS::Region}:\${AWS::AccountId}:\${Bucket.Arn}/\${!Literal}'
      C: !Join ['-', !Ref List]
      D: !Select [1, !Split [',', 'x,y,z']]
      E: !GetAtt Bucket.Arn
      F: !Ref Bucket
      G: !Sub ['\${X}!', { X: !Ref Name }]`),
    ).toEqual({
      A: ['a', 'b'],
      B: 'arn:aws:x:eu-west-1:123456789012:arn:aws:s3:::media-bucket/${Literal}',
      C: 'a-b',
      D: 'y',
      E: 'arn:aws:s3:::media-bucket',
      F: 'media-bucket',
      G: 'media!',
    });
  });

  it('drops AWS::NoValue from objects and lists, following Fn::If and its conditions', () => {
    const body = `
      Kept: !If [IsMedia, yes, !Ref AWS::NoValue]
      Dropped: !If [Both, yes, !Ref AWS::NoValue]
      List: [one, !If [NoDays, !Ref AWS::NoValue, two], three]`;
    expect(props(body)).toEqual({ Kept: 'yes', List: ['one', 'three'] });
    expect(props(body, { Days: '30' })).toEqual({ Kept: 'yes', Dropped: 'yes', List: ['one', 'two', 'three'] });
    expect(props(body, { Name: 'other' })).toEqual({ List: ['one', 'three'] });
  });

  it('refuses what it does not implement instead of passing it through', () => {
    expect(() => props('      A: !FindInMap [M, K, V]')).toThrow();
    expect(() => props(`      A: { 'Fn::Base64': x }`)).toThrow(/unsupported intrinsic Fn::Base64/);
    expect(() => props('      A: !GetAtt Bucket.DomainName')).toThrow(/not supported/);
    expect(() => props('      A: !Ref Missing')).toThrow(/Ref Missing/);
    expect(() => renderCloudFormation(template('      A: 1'), { ...context, parameters: { Nope: 'x' } })).toThrow(/unknown parameter Nope/);
  });
});
